// The sample API: a small web API protected by the local IdP's access tokens. HTTP on 127.0.0.1 only:
// it is a development sample whose callers (desktop app, daemon, tests) run on the same machine, and
// loopback traffic does not leave it; a deployed API would sit behind TLS.
//
//   GET /me        delegated (scp access_as_user): who called and what the API saw
//   GET /obo       delegated: exchanges the caller's token on-behalf-of for a Graph-like User.Read token
//                  and reports both tokens' audiences and scopes (never the tokens)
//   GET /sensitive delegated, and only with the authentication context c1 (`acrs`): a step-up sign-in
//   GET /app-data  app-only (roles Data.Read.All, no user): for the daemon
// Delegated tokens also pass continuous access evaluation (continuous-access.ts): one issued before the
// user's sessions were revoked gets a claims challenge.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfidentialClientApplication } from '../../electron/core/confidential-client.js';
import { AuthError } from '../../electron/core/errors.js';
import { findTenant } from '../directory.js';
import { hostIsOneOf, parseRequestTarget } from '../http-util.js';
import { CONFIDENTIAL_CLIENT_IDS, DEV_SECRETS } from '../confidential-clients.js';
import { summarize, summarizeToken } from './downstream.js';
import { createTokenValidator, DATA_READ_ALL, KeysUnavailableError, SAMPLE_API_SCOPE, type Requirement, type ValidatedToken } from './token-validator.js';
import { ApiAuthError, wwwAuthenticate } from './www-authenticate.js';
import { evaluateContinuousAccess, type RevocationSource } from './continuous-access.js';

/** The authentication context `/sensitive` needs (Entra: a Conditional Access "authentication context"). */
export const SENSITIVE_AUTH_CONTEXT = 'c1';

export const DEFAULT_API_PORT = 5050;
export const GRAPH_SCOPE = 'User.Read';

export interface SampleApiOptions {
  /** 0 = ephemeral. Default 0. */
  port?: number;
  /** The IdP's base URL, `https://localhost:PORT`. */
  idpUrl: string;
  /** The IdP's self-signed certificate (pinned for JWKS and token requests). */
  caCertPem: string;
  /** Tenant name or GUID whose tokens are accepted. Default contoso. */
  tenant?: string;
  /** The API's own credential for on-behalf-of. Default: the development secret of `sample-api`. */
  clientSecret?: string;
  /** Leeway for `exp`/`nbf` in seconds (default 30; tests use 0 to see expiry at once). */
  clockToleranceSeconds?: number;
  /** One line per request (method, path, status); never headers or tokens. */
  logger?: (line: string) => void;
  /**
   * The IdP's revoked-sessions events (the local IdP's `controls.revocations`, in-process). Without it the
   * API cannot know of a revocation and accepts a token until it expires.
   */
  revocations?: RevocationSource;
}

export interface SampleApi {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

type Handler = (token: ValidatedToken) => Promise<unknown>;

interface Route {
  need: Requirement;
  /** An authentication context (`acrs`) the token must carry. */
  acrs?: string;
  handle: Handler;
}

export async function startSampleApi(options: SampleApiOptions): Promise<SampleApi> {
  const tenant = findTenant(options.tenant ?? 'contoso');
  if (!tenant) throw new Error(`unknown tenant ${options.tenant}`);
  const idpUrl = options.idpUrl.replace(/\/+$/, '');
  const validator = createTokenValidator({
    idpUrl,
    caCertPem: options.caCertPem,
    tenantId: tenant.id,
    ...(options.clockToleranceSeconds !== undefined ? { clockToleranceSeconds: options.clockToleranceSeconds } : {}),
  });
  const authority = `${idpUrl}/${tenant.id}`;
  // The API as a confidential client of the IdP; its cache makes a repeated OBO for the same incoming
  // token free (no IdP request).
  const cca = await ConfidentialClientApplication.create({
    auth: { clientId: CONFIDENTIAL_CLIENT_IDS.sampleApi, authority, clientSecret: options.clientSecret ?? DEV_SECRETS.sampleApi },
    system: { trustedCaPem: options.caCertPem },
  });
  const log = options.logger ?? (() => {});

  const routes: Record<string, Route> = {
    '/me': { need: { kind: 'scope', scope: SAMPLE_API_SCOPE }, handle: async (t) => ({ caller: callerOf(t), api: apiView(t) }) },
    '/obo': {
      need: { kind: 'scope', scope: SAMPLE_API_SCOPE },
      handle: async (t) => {
        const result = await cca.acquireTokenOnBehalfOf({ oboAssertion: t.raw, scopes: [GRAPH_SCOPE] });
        return {
          caller: callerOf(t),
          incoming: summarize(t.claims),
          downstream: { ...summarizeToken(result.accessToken), fromCache: result.fromCache, flow: 'on_behalf_of' },
        };
      },
    },
    '/sensitive': {
      need: { kind: 'scope', scope: SAMPLE_API_SCOPE },
      acrs: SENSITIVE_AUTH_CONTEXT,
      handle: async (t) => ({ caller: callerOf(t), api: apiView(t), authContexts: Array.isArray(t.claims.acrs) ? t.claims.acrs : [] }),
    },
    '/app-data': {
      need: { kind: 'role', role: DATA_READ_ALL },
      handle: async (t) => ({
        app: { appId: t.claims.azp, oid: t.claims.oid, roles: t.claims.roles, tid: t.claims.tid },
        data: [
          { id: 1, name: 'Quarterly report', owner: 'Contoso' },
          { id: 2, name: 'Inventory', owner: 'Contoso' },
        ],
      }),
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (path === '/') return send(res, 200, { description: 'Sample API protected by the local IdP', endpoints: Object.keys(routes), audience: validator.audience, issuer: validator.issuer });
    const route = routes[path];
    if (!route) return send(res, 404, { error: 'not_found' });
    if (req.method !== 'GET') return send(res, 405, { error: 'method_not_allowed' }, { allow: 'GET' });
    try {
      const token = await validator.validate(req.headers.authorization, route.need);
      if (route.need.kind === 'scope') {
        const { tid, oid } = token.claims;
        const revokedAt = typeof tid === 'string' && typeof oid === 'string' ? options.revocations?.revokedAt(tid, oid) : undefined;
        evaluateContinuousAccess(token.claims, { revokedAt, requiredAcrs: route.acrs });
      }
      return send(res, 200, await route.handle(token));
    } catch (err) {
      if (err instanceof ApiAuthError) {
        return send(res, err.status, { error: err.code ?? 'unauthorized', error_description: err.description }, { 'www-authenticate': wwwAuthenticate(err, `${authority}/oauth2/v2.0/authorize`) });
      }
      if (err instanceof KeysUnavailableError) return send(res, 503, { error: 'temporarily_unavailable', error_description: err.message });
      if (err instanceof AuthError) {
        // The OBO exchange failed: the engine's errors carry a stable code and no token.
        return send(res, 502, { error: 'downstream_token_failed', code: err.code, error_description: err.message });
      }
      throw err;
    }
  }

  const server: Server = createServer((req, res) => {
    // Parsed once, here: a request line `new URL` throws on must not reach a handler or the log line.
    // The Host check keeps pages on DNS-rebinding names (resolving to 127.0.0.1) out.
    const url = parseRequestTarget(req.url, 'http://127.0.0.1');
    const path = url?.pathname ?? '(invalid request target)';
    res.on('finish', () => log(`${req.method} ${path} ${res.statusCode}`));
    if (!url) return send(res, 400, { error: 'invalid_request', error_description: 'The request target is not a valid path.' });
    if (!hostIsOneOf(req, ['127.0.0.1', 'localhost'], port)) return send(res, 400, { error: 'invalid_request', error_description: 'The Host header does not name this server.' });
    handle(req, res, url.pathname).catch((err: unknown) => {
      log(`error: ${(err as Error)?.name ?? 'Error'}`);
      if (!res.headersSent) send(res, 500, { error: 'server_error' });
      else res.destroy();
    });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function callerOf(t: ValidatedToken) {
  const c = t.claims;
  return { name: c.name, username: c.preferred_username, oid: c.oid, tid: c.tid, appId: c.azp };
}

function apiView(t: ValidatedToken) {
  return { audience: t.claims.aud, scopes: (t.claims.scp ?? '').split(' ').filter(Boolean), expiresAt: new Date((t.claims.exp ?? 0) * 1000).toISOString() };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}
