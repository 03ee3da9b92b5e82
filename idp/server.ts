// The HTTPS front door: counts requests, resolves the tenant from the path and hands the request to
// that tenant's oidc-provider (mounted at /<tenant-guid>), to our interaction pages, or to the
// multi-tenant discovery.
import { IncomingMessage, type ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { multiTenantDiscovery, multiTenantSignInUnsupported } from './common-discovery.js';
import type { DeviceCodePacer } from './device-pacing.js';
import { TENANTS, type Tenant } from './directory.js';
import { handleInteraction } from './interactions.js';
import type { KerberosAcceptor } from './kerberos.js';
import { hostIsOneOf, parseRequestTarget, readBody, sendJson } from './http-util.js';
import type { OffOriginAuthority } from './off-origin/services.js';
import type { RequestLog } from './request-log.js';
import { ENTRA_DISCOVERY_PATH, routeOf, TENANT_ROUTES } from './routes.js';
import type { IdpSettings } from './settings.js';
import type { MemoryStore } from './store.js';
import { precheckTokenRequest, withStandardGrantType } from './token-prechecks.js';

export type Logger = (line: string) => void;

/** The names on the IdP's certificate (certificate.ts): the only Hosts it answers to. */
export const OWN_HOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface TenantServer {
  tenant: Tenant;
  provider: Provider;
  callback: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface HandlerDeps {
  baseUrl: string;
  tenants: ReadonlyMap<string, TenantServer>;
  settings: IdpSettings;
  pacer: DeviceCodePacer;
  store: MemoryStore;
  log: RequestLog;
  logger: Logger;
  /** HTTP Negotiate on the login step (off unless the IdP was started with `kerberos`). */
  kerberos?: KerberosAcceptor;
  /** The services on other origins the login step hands over to (federation, interstitial). */
  offOrigin?: OffOriginAuthority;
}

export function createRequestHandler(deps: HandlerDeps) {
  const port = Number(new URL(deps.baseUrl).port);
  return function handle(req: IncomingMessage, res: ServerResponse): void {
    // Refused here, before oidc-provider or a decodeURIComponent sees them: a target that is not a
    // plain path of ours, and a Host that is not one of the names on our certificate.
    const url = parseRequestTarget(req.url, deps.baseUrl);
    if (!url || !hostIsOneOf(req, [...OWN_HOST_NAMES, new URL(deps.baseUrl).hostname], port)) {
      res.on('finish', () => deps.logger(`${req.method} (refused request) ${res.statusCode}`));
      const description = url ? 'The Host header does not name this server.' : 'The request target is not a valid path.';
      return sendJson(res, 400, { error: 'invalid_request', error_description: description });
    }
    deps.log.record(req.method ?? 'GET', url.pathname);
    res.on('finish', () => deps.logger(`${req.method} ${url.pathname} ${res.statusCode}`));
    route(deps, req, res, url).catch((err: unknown) => {
      // Names only: error messages from deep inside could echo request data.
      deps.logger(`error handling ${req.method} ${url.pathname}: ${(err as Error)?.name ?? 'Error'}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'Internal error in the local IdP.' });
      else res.destroy();
    });
  };
}

async function route(deps: HandlerDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const r = routeOf(url.pathname);
  switch (r.kind) {
    case 'root':
      return sendJson(res, 200, rootIndex(deps.baseUrl));
    case 'unknown-tenant':
      return sendJson(res, 400, {
        error: 'invalid_tenant',
        error_description: `AADSTS90002: Tenant '${r.segment}' not found. Known tenants: ${Object.keys(TENANTS).join(', ')} (or their GUIDs).`,
      });
    case 'multi-tenant': {
      if (r.rest === ENTRA_DISCOVERY_PATH) return sendJson(res, 200, multiTenantDiscovery(deps.baseUrl, r.segment));
      // The keys are shared by all tenants, so any tenant's JWKS is the multi-tenant one.
      if (r.rest === TENANT_ROUTES.jwks) return forward(deps.tenants.get(TENANTS.contoso.id)!, req, res, TENANT_ROUTES.jwks, '');
      return sendJson(res, 400, multiTenantSignInUnsupported(r.segment));
    }
    case 'interaction': {
      const t = deps.tenants.get(r.tenant.id)!;
      return handleInteraction(
        {
          tenant: r.tenant,
          provider: t.provider,
          settings: deps.settings,
          store: deps.store,
          basePath: `/${r.tenant.id}`,
          ...(deps.kerberos ? { kerberos: deps.kerberos, log: deps.logger } : {}),
          ...(deps.offOrigin ? { offOrigin: deps.offOrigin } : {}),
        },
        req,
        res,
        r.uid,
        r.action,
      );
    }
    case 'tenant': {
      const t = deps.tenants.get(r.tenant.id)!;
      if (req.method === 'POST' && r.providerPath === TENANT_ROUTES.token) {
        const body = await readBody(req);
        const params = new URLSearchParams(body.toString('utf8'));
        // Entra's grant_type aliases become the standard names before oidc-provider parses the body.
        const standard = withStandardGrantType(params);
        const failure = await precheckTokenRequest(t.provider, deps.pacer, standard ?? params);
        if (failure) return sendJson(res, 400, failure);
        return forward(t, replayWithBody(req, standard ? Buffer.from(standard.toString(), 'utf8') : body), res, r.providerPath, url.search);
      }
      return forward(t, req, res, r.providerPath, url.search);
    }
  }
}

/**
 * Mount the tenant's provider at /<guid>: oidc-provider derives its mount path from `originalUrl`
 * minus `url`, so every URL it generates (discovery, redirects, forms) carries the GUID even when
 * the request named the tenant (`/contoso/...`), as Entra's discovery does.
 */
function forward(t: TenantServer, req: IncomingMessage, res: ServerResponse, providerPath: string, search: string) {
  const inner = providerPath + search;
  (req as IncomingMessage & { originalUrl?: string }).originalUrl = `/${t.tenant.id}${inner}`;
  req.url = inner;
  t.callback(req, res);
}

/** A fresh request stream carrying an already-read body, so oidc-provider can parse it normally. */
function replayWithBody(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  // The body may have been rewritten (a grant_type alias): oidc-provider checks it against Content-Length.
  copy.headers = req.headers['content-length'] === undefined ? req.headers : { ...req.headers, 'content-length': String(body.length) };
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  // Without `complete`, destroying the copy after it is read counts as an aborted request and
  // tears down the shared socket.
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

function rootIndex(baseUrl: string) {
  return {
    description: 'Local Entra-shaped identity provider for development and tests.',
    tenants: Object.values(TENANTS).map((t) => ({
      name: t.name,
      id: t.id,
      authority: `${baseUrl}/${t.name}`,
      discovery: `${baseUrl}/${t.id}${ENTRA_DISCOVERY_PATH}`,
    })),
  };
}
