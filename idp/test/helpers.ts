// Shared set-up for the IdP's own tests: a real IdP on an ephemeral port with a throw-away data folder,
// the standard oauth4webapi client pointed at it, and a loopback redirect listener.
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oauth from 'oauth4webapi';
import { pinnedFetch } from '../../testkit/pinned-fetch.js';
import { CLIENT_IDS, startDevIdp, type DevIdp, type DevIdpOptions, type TenantName } from '../index.js';

export interface TestIdp extends DevIdp {
  fetch: typeof fetch;
  /** Options for every oauth4webapi call: the pinned-certificate fetch. */
  http: { [oauth.customFetch]: typeof fetch };
  close(): Promise<void>;
}

export async function startTestIdp(options: DevIdpOptions = {}): Promise<TestIdp> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'idp-test-')));
  const idp = await startDevIdp({ port: 0, ...options, dataDir });
  const f = pinnedFetch(idp.caCertPem);
  return {
    ...idp,
    fetch: f,
    http: { [oauth.customFetch]: f },
    async close() {
      await idp.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const client: oauth.Client = { client_id: CLIENT_IDS.desktop };
export const noAuth = oauth.None();

export async function discover(idp: TestIdp, tenant = 'contoso'): Promise<oauth.AuthorizationServer> {
  const info = idp.tenants[tenant as TenantName] ?? idp.tenants.contoso;
  const issuer = new URL(info.issuer);
  const response = await oauth.discoveryRequest(new URL(`${idp.url}/${tenant}/v2.0`), { ...idp.http, algorithm: 'oidc' });
  return oauth.processDiscoveryResponse(issuer, response);
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function decodeClientInfo(value: unknown): { uid: string; utid: string } {
  return JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8')) as { uid: string; utid: string };
}

export async function passwordGrant(idp: TestIdp, as: oauth.AuthorizationServer, username: string, password: string, scope: string): Promise<Response> {
  return oauth.genericTokenEndpointRequest(as, client, noAuth, 'password', { username, password, scope }, idp.http);
}

export async function refresh(idp: TestIdp, as: oauth.AuthorizationServer, refreshToken: string, scope: string): Promise<Response> {
  return oauth.refreshTokenGrantRequest(as, client, noAuth, refreshToken, { ...idp.http, additionalParameters: { scope } });
}

/** The body of an error response, whatever oauth4webapi would make of it. */
export async function errorBody(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** Fail instead of hanging the whole run when a page flow goes somewhere unexpected. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface LoopbackListener {
  redirectUri: string;
  /** The URL the browser was redirected to, with the code or error. */
  callback: Promise<URL>;
  close(): Promise<void>;
}

/** A one-shot loopback redirect receiver on 127.0.0.1, as a native app would run (RFC 8252). */
export async function loopbackListener(path = '/callback'): Promise<LoopbackListener> {
  let resolveCallback!: (u: URL) => void;
  const callback = new Promise<URL>((r) => (resolveCallback = r));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>Done</title><p>Signed in. You can close this window.</p>');
    if (url.pathname === path) resolveCallback(new URL(req.url ?? '/', `http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    redirectUri: `http://127.0.0.1:${port}${path}`,
    callback: withTimeout(callback, 20_000, 'no redirect reached the loopback listener'),
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
