// The token table (issue 14): the engine's cache metadata for one account, joined with what this run
// of the app knows about how each token was obtained (requested scopes, source), and named after the
// configured API it belongs to. Pure, so the naming and matching rules are tested without an engine.
import type { CachedTokensInfo } from '../core/index.js';
import type { ApiSummary, CachedTokenView, TokenSource, TokenTableView } from '../../shared/views.js';

/** What the controller remembers of an acquisition (never the token). */
export interface Acquisition {
  requestedScopes: string[];
  /** Absent when this run only ever got it from the cache (it was obtained before this run). */
  source?: TokenSource;
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Granted scopes → a key that is the same however the server ordered or cased them. */
export function scopeKey(scopes: readonly string[]): string {
  const meaningful = scopes.map((s) => s.toLowerCase()).filter((s) => !OIDC_SCOPES.has(s));
  return [...new Set(meaningful.length > 0 ? meaningful : scopes.map((s) => s.toLowerCase()))].sort().join(' ');
}

/**
 * The resource a set of scopes is for: the part before the last slash of a full scope URI
 * ("api://sample-api/access_as_user" → "api://sample-api"); Entra's short names are Graph's.
 */
export function resourceOf(scopes: readonly string[]): string {
  for (const scope of scopes) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) continue;
    const slash = scope.lastIndexOf('/');
    if (slash > 0 && slash < scope.length - 1) return scope.slice(0, slash);
  }
  return 'Microsoft Graph';
}

/** The configured API whose scopes the token's granted scopes cover best (most in common). */
export function apiOf(scopes: readonly string[], apis: readonly ApiSummary[]): ApiSummary | undefined {
  const granted = new Set(scopes.map((s) => s.toLowerCase()));
  let best: { api: ApiSummary; common: number } | undefined;
  for (const api of apis) {
    const common = api.scopes.filter((s) => granted.has(s.toLowerCase())).length;
    if (common > 0 && (!best || common > best.common)) best = { api, common };
  }
  return best?.api;
}

export interface TokenTableContext {
  homeAccountId: string;
  apis: readonly ApiSummary[];
  /** The configured API "Call API" calls (absent: no sample API configured). */
  callableApiId?: string;
  acquisitions: ReadonlyMap<string, Acquisition>;
  refreshTokenIssuedOn?: number;
}

export function toTokenTableView(info: CachedTokensInfo, context: TokenTableContext): TokenTableView {
  const tokens = info.accessTokens
    .map((at): CachedTokenView => {
      const key = scopeKey(at.scopes);
      const acquisition = context.acquisitions.get(key);
      const api = apiOf(at.scopes, context.apis);
      const granted = at.scopes.filter((s) => s.length > 0);
      return {
        id: `${at.realm}|${key}`.slice(0, 256),
        resource: resourceOf(granted),
        ...(api ? { apiId: api.id, apiLabel: api.label } : {}),
        ...(acquisition ? { requestedScopes: acquisition.requestedScopes } : {}),
        ...(acquisition?.source ? { source: acquisition.source } : {}),
        grantedScopes: granted,
        requestScopes: acquisition?.requestedScopes ?? granted.filter((s) => !OIDC_SCOPES.has(s.toLowerCase())),
        realm: at.realm,
        cachedAt: at.cachedAt,
        expiresOn: at.expiresOn,
        ...(at.refreshOn !== undefined ? { refreshOn: at.refreshOn } : {}),
        callable: api !== undefined && api.id === context.callableApiId,
      };
    })
    // Configured APIs first, in configuration order; the rest by name: a table that does not jump around.
    .sort((a, b) => apiRank(a, context.apis) - apiRank(b, context.apis) || a.resource.localeCompare(b.resource) || a.id.localeCompare(b.id));
  const rt = info.refreshToken;
  return {
    homeAccountId: context.homeAccountId,
    tokens,
    refreshToken: {
      present: rt.present,
      ...(rt.clientId ? { clientId: rt.clientId } : {}),
      ...(rt.familyId ? { familyId: rt.familyId } : {}),
      ...(rt.present && context.refreshTokenIssuedOn !== undefined ? { issuedOn: context.refreshTokenIssuedOn } : {}),
    },
  };
}

function apiRank(row: CachedTokenView, apis: readonly ApiSummary[]): number {
  const i = apis.findIndex((a) => a.id === row.apiId);
  return i === -1 ? apis.length : i;
}
