// A small, real HTTPS server that speaks just enough of Entra's v2.0 endpoints to be scripted per test:
// well-behaved by default (signed ID tokens, client_info, refresh_in, rotation), and misbehaving on
// demand (broken JSON, wrong claims, bad signatures, huge bodies). The engine talks to it over TLS like
// to any IdP — nothing in the engine is mocked.
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type JWK, type CryptoKey } from 'jose';
import { localhostCert } from './cert.js';

export interface RawResponse {
  status?: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

/**
 * Network misbehaviour instead of an answer: `reset` destroys the connection before any response
 * byte, `hang` never answers (the connection stays open until stop()), `drip` sends the headers and
 * then one byte of body every `intervalMs`, forever.
 */
export type Misbehaviour = { reset: true } | { hang: true } | { drip: { intervalMs: number } };
export type ScriptedResponse = RawResponse | Misbehaviour;

export interface TokenRequest {
  grantType: string;
  params: URLSearchParams;
}

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export interface HostileUser {
  oid: string;
  /** Home tenant (client_info utid). */
  homeTenant: string;
  name: string;
  username: string;
}

export interface HostileOp {
  origin: string;
  /** Authority for a tenant: `${origin}/${tenant}`. */
  authority(tenant?: string): string;
  issuer(tenant?: string): string;
  caCertPem: string;
  tenantId: string;
  otherTenantId: string;
  counts: Record<string, number>;
  resetCounts(): void;
  /** Keys published at the JWKS endpoint; `signingKey` signs good ID tokens. */
  publishedKeys: SigningKey[];
  signingKey: SigningKey;
  newKey(kid: string): Promise<SigningKey>;
  /** Override the token endpoint for the next requests (undefined = well-behaved). */
  tokenHandler: ((req: TokenRequest, op: HostileOp) => Promise<ScriptedResponse> | ScriptedResponse) | undefined;
  /**
   * Consulted before every route (discovery, keys, token, device code): a response or misbehaviour
   * for this request, or undefined for the normal handling. `name` is the path after the tenant.
   */
  routeHandler: ((name: string, method: string) => ScriptedResponse | undefined) | undefined;
  deviceHandler: ((params: URLSearchParams) => RawResponse) | undefined;
  /** The well-behaved token response for the current user / tenant / nonce. */
  goodTokenBody(req: TokenRequest, overrides?: { claims?: Record<string, unknown>; body?: Record<string, unknown>; key?: SigningKey }): Promise<Record<string, unknown>>;
  signIdToken(claims: Record<string, unknown>, key?: SigningKey, header?: Record<string, unknown>): Promise<string>;
  /** State the engine's last authorization request carried. */
  lastAuthorize: { nonce?: string; state?: string; redirectUri?: string; scope?: string };
  user: HostileUser;
  /** The tenant the current sign-in happens in (tid of the tokens). */
  signInTenant: string;
  tokenLifetime: { expiresIn: number; refreshIn?: number; extExpiresIn?: number };
  clientId: string;
  /** Refresh tokens handed out and not yet rotated away. */
  liveRefreshTokens: Set<string>;
  stop(): Promise<void>;
}

const json = (body: unknown, status = 200): RawResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startHostileOp(options: { clientId?: string } = {}): Promise<HostileOp> {
  const { key, cert } = await localhostCert();
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const makeKey = async (kid: string): Promise<SigningKey> => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  };
  const signingKey = await makeKey('key-1');

  const server = https.createServer({ key, cert });
  const drips = new Set<NodeJS.Timeout>();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;

  const op: HostileOp = {
    origin,
    authority: (tenant = tenantId) => `${origin}/${tenant}`,
    issuer: (tenant = tenantId) => `${origin}/${tenant}/v2.0`,
    caCertPem: cert,
    tenantId,
    otherTenantId,
    counts: {},
    resetCounts() {
      for (const k of Object.keys(op.counts)) delete op.counts[k];
    },
    publishedKeys: [signingKey],
    signingKey,
    newKey: makeKey,
    tokenHandler: undefined,
    routeHandler: undefined,
    deviceHandler: undefined,
    lastAuthorize: {},
    user: { oid: randomUUID(), homeTenant: tenantId, name: 'Alice Test', username: 'alice@hostile.test' },
    signInTenant: tenantId,
    tokenLifetime: { expiresIn: 3600, extExpiresIn: 7200 },
    clientId: options.clientId ?? 'hostile-client',
    liveRefreshTokens: new Set(),
    async signIdToken(claims, k = signingKey, header = {}) {
      return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: k.kid, typ: 'JWT', ...header }).sign(k.privateKey);
    },
    async goodTokenBody(req, overrides = {}) {
      const now = Math.floor(Date.now() / 1000);
      const tid = op.signInTenant;
      const claims = {
        iss: op.issuer(tid),
        aud: op.clientId,
        sub: `${op.user.oid}-sub-${tid}`,
        oid: op.user.oid,
        tid,
        name: op.user.name,
        preferred_username: op.user.username,
        ver: '2.0',
        iat: now,
        nbf: now,
        exp: now + 3600,
        ...(req.grantType === 'authorization_code' && op.lastAuthorize.nonce ? { nonce: op.lastAuthorize.nonce } : {}),
        ...overrides.claims,
      };
      const refreshToken = `rt-${randomUUID()}`;
      op.liveRefreshTokens.add(refreshToken);
      const requested = (req.params.get('scope') ?? op.lastAuthorize.scope ?? '').split(' ').filter((s) => s && s !== 'offline_access');
      return {
        token_type: 'Bearer',
        access_token: `at-${randomUUID()}`,
        expires_in: op.tokenLifetime.expiresIn,
        ...(op.tokenLifetime.extExpiresIn ? { ext_expires_in: op.tokenLifetime.extExpiresIn } : {}),
        ...(op.tokenLifetime.refreshIn ? { refresh_in: op.tokenLifetime.refreshIn } : {}),
        scope: requested.join(' '),
        refresh_token: refreshToken,
        id_token: await op.signIdToken(claims, overrides.key ?? signingKey),
        client_info: Buffer.from(JSON.stringify({ uid: op.user.oid, utid: op.user.homeTenant })).toString('base64url'),
        ...overrides.body,
      };
    },
    async stop() {
      for (const t of drips) clearInterval(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };

  async function wellBehavedToken(req: TokenRequest): Promise<RawResponse> {
    if (req.grantType === 'refresh_token') {
      const rt = req.params.get('refresh_token') ?? '';
      if (!op.liveRefreshTokens.delete(rt)) return json({ error: 'invalid_grant', error_description: 'AADSTS70000: refresh token revoked or rotated', correlation_id: 'corr-1' }, 400);
    }
    return json(await op.goodTokenBody(req));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const parts = url.pathname.split('/').filter(Boolean);
    const name = parts.slice(1).join('/');
    op.counts[name] = (op.counts[name] ?? 0) + 1;
    const send = (r: ScriptedResponse) => {
      if ('reset' in r) return void req.socket.destroy();
      if ('hang' in r) return;
      if ('drip' in r) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(' ')), r.drip.intervalMs);
        drips.add(t);
        res.on('close', () => (clearInterval(t), drips.delete(t)));
        return;
      }
      res.writeHead(r.status ?? 200, r.headers ?? {});
      res.end(r.body);
    };
    const scripted = op.routeHandler?.(name, req.method ?? 'GET');
    if (scripted) return send(scripted);
    const tenant = parts[0] ?? '';
    const templated = tenant === 'organizations' || tenant === 'common';
    if (name === 'v2.0/.well-known/openid-configuration') {
      const base = `${origin}/${tenant}`;
      return send(
        json({
          issuer: templated ? `${origin}/{tenantid}/v2.0` : op.issuer(tenant),
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/oauth2/v2.0/token`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_types_supported: ['code'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
        }),
      );
    }
    if (name === 'discovery/v2.0/keys') return send(json({ keys: op.publishedKeys.map((k) => k.publicJwk) }));
    if (name === 'oauth2/v2.0/token' && req.method === 'POST') {
      const params = new URLSearchParams(await readBody(req));
      const treq = { grantType: params.get('grant_type') ?? '', params };
      return send(op.tokenHandler ? await op.tokenHandler(treq, op) : await wellBehavedToken(treq));
    }
    if (name === 'oauth2/v2.0/devicecode' && req.method === 'POST') {
      const params = new URLSearchParams(await readBody(req));
      return send(
        op.deviceHandler?.(params) ??
          json({ device_code: `dc-${randomUUID()}`, user_code: 'ABCD-EFGH', verification_uri: `${origin}/device`, expires_in: 600, interval: 1 }),
      );
    }
    send({ status: 404, body: 'not found' });
  }

  server.on('request', (req, res) => {
    route(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  return op;
}

/** openBrowser for scripted tests: no browser, the test itself performs the redirect over HTTP. */
export function scriptedRedirect(op: HostileOp, redirect: (authorizeUrl: URL) => Array<Record<string, string>> | Record<string, string>) {
  return async (url: string) => {
    const u = new URL(url);
    op.lastAuthorize = {
      nonce: u.searchParams.get('nonce') ?? undefined,
      state: u.searchParams.get('state') ?? undefined,
      redirectUri: u.searchParams.get('redirect_uri') ?? undefined,
      scope: u.searchParams.get('scope') ?? undefined,
    } as HostileOp['lastAuthorize'];
    const list = redirect(u);
    const all = Array.isArray(list) ? list : [list];
    // One after the other, so "first" and "second" redirect are well defined.
    const statuses: number[] = [];
    for (const params of all) {
      const target = new URL(op.lastAuthorize.redirectUri as string);
      for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
      try {
        const r = await fetch(target);
        await r.text();
        statuses.push(r.status);
      } catch {
        statuses.push(0); // listener already gone
      }
    }
    lastRedirectStatuses.splice(0, lastRedirectStatuses.length, ...statuses);
  };
}
/** HTTP statuses the loopback listener answered the last scripted redirects with. */
export const lastRedirectStatuses: number[] = [];

/** The well-behaved redirect: code + the state the engine sent. */
export const goodRedirect = (u: URL) => ({ code: `code-${randomUUID()}`, state: u.searchParams.get('state') ?? '' });

/**
 * Script `op` to answer discovery at `<origin>/<tenant>/<discoveryPath>` with a document naming
 * `issuer` (tests of issuer rules: trailing slashes, Entra's shape); every other route stays default.
 */
export function serveDiscoveryDocument(op: HostileOp, tenant: string, discoveryPath: string, issuer: string): void {
  const base = `${op.origin}/${tenant}`;
  const document = {
    issuer,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/oauth2/v2.0/token`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_types_supported: ['code'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
  };
  op.routeHandler = (name) =>
    name === discoveryPath ? { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(document) } : undefined;
}
