// A plain, standards-only OpenID Provider (oidc-provider in its default shape: no tenants, no
// client_info, no tid) for the engine's `protocolMode: 'oidc'` tests. HTTPS with a throw-away
// self-signed certificate on an ephemeral port; any login with any password signs in (devInteractions);
// consent is pre-granted so tests only fill the login form. Counters and controls for tests.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';
import { localhostCert } from './cert.js';

export const PLAIN_CLIENT_ID = 'plain-client';

export interface PlainOpControls {
  /** Requests per path, e.g. counts['/token']. */
  counts: Record<string, number>;
  resetCounts(): void;
  ttl: { accessToken: number; idToken: number; deviceCode: number; refreshToken: number };
  /** Delete every grant and refresh token (a revocation the client does not hear about). */
  revokeAll(): void;
}

export interface PlainOp {
  url: string;
  caCertPem: string;
  controls: PlainOpControls;
  stop(): Promise<void>;
}

type Store = Map<string, Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>>;

function memoryAdapterFactory(store: Store) {
  return class MemoryAdapter implements Adapter {
    private readonly m: Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>;
    constructor(readonly name: string) {
      let m = store.get(name);
      if (!m) store.set(name, (m = new Map()));
      this.m = m;
    }
    private live(id: string) {
      const e = this.m.get(id);
      if (!e) return undefined;
      if (e.expiresAt !== undefined && e.expiresAt < Date.now()) {
        this.m.delete(id);
        return undefined;
      }
      return e.payload;
    }
    async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
      this.m.set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
    }
    async find(id: string) {
      return this.live(id);
    }
    async findByUserCode(userCode: string) {
      for (const [id, e] of this.m) if (e.payload.userCode === userCode) return this.live(id);
      return undefined;
    }
    async findByUid(uid: string) {
      for (const [id, e] of this.m) if (e.payload.uid === uid) return this.live(id);
      return undefined;
    }
    async consume(id: string) {
      const e = this.m.get(id);
      if (e) e.payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      this.m.delete(id);
    }
    async revokeByGrantId(grantId: string) {
      for (const [id, e] of this.m) if (e.payload.grantId === grantId) this.m.delete(id);
    }
  };
}

export async function startPlainOp(): Promise<PlainOp> {
  const { key, cert } = await localhostCert();
  const counts: Record<string, number> = {};
  const ttl = { accessToken: 3600, idToken: 3600, deviceCode: 600, refreshToken: 86400 };
  const store: Store = new Map();

  // Listen first: the issuer needs the port.
  let handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void = (_q, s) => s.end();
  const server = https.createServer({ key, cert }, (req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://localhost:${port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: 'plain-1', alg: 'RS256', use: 'sig' };

  const provider = new Provider(issuer, {
    adapter: memoryAdapterFactory(store),
    clients: [
      {
        client_id: PLAIN_CLIENT_ID,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: ['http://127.0.0.1/'],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
        post_logout_redirect_uris: [],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['plain-op-test-cookie-key'] },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email'] },
    scopes: ['openid', 'profile', 'email', 'offline_access', 'api.read', 'api.write'],
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
    },
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, name: `User ${id}`, preferred_username: `${id}@plain.test`, email: `${id}@plain.test` };
        },
      };
    },
    // Consent is not what these tests are about: grant what the client asks for, once per sign-in.
    async loadExistingGrant(ctx) {
      const session = ctx.oidc.session;
      const client = ctx.oidc.client;
      if (!session?.accountId || !client) return undefined;
      const grantId = session.grantIdFor(client.clientId);
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      const grant = existing ?? new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      const requested = (ctx.oidc.params?.scope as string | undefined) ?? 'openid';
      grant.addOIDCScope(requested);
      await grant.save();
      if (!existing) session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Put profile claims in the ID token as most providers do (the engine reads the username there).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: {
      AccessToken: () => ttl.accessToken,
      IdToken: () => ttl.idToken,
      DeviceCode: () => ttl.deviceCode,
      RefreshToken: () => ttl.refreshToken,
      Grant: 86400,
      Session: 86400,
      Interaction: 600,
    },
  });
  provider.use(async (ctx, next) => {
    counts[ctx.path] = (counts[ctx.path] ?? 0) + 1;
    await next();
  });
  const callback = provider.callback();
  handler = (req, res) => void callback(req, res);

  return {
    url: issuer,
    caCertPem: cert,
    controls: {
      counts,
      resetCounts() {
        for (const k of Object.keys(counts)) delete counts[k];
      },
      ttl,
      revokeAll() {
        store.get('Grant')?.clear();
        store.get('RefreshToken')?.clear();
      },
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
