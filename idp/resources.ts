// Entra decides the resource of an access token from the scopes requested (`User.Read` → Graph,
// `api://sample-api/access_as_user` → the sample API); oidc-provider uses RFC 8707 resource indicators.
// These pure functions translate between the two.
import { API_LIST, type ProtectedApi } from './directory.js';

const DEFAULT_SUFFIX = '/.default';

/** The API a scope belongs to; `<resource>/.default` (Entra's "all consented scopes") counts too. */
export function apiForScope(scope: string): ProtectedApi | undefined {
  const s = scope.toLowerCase();
  return API_LIST.find(
    (api) =>
      api.scopes.some((x) => x.toLowerCase() === s) ||
      (s.endsWith(DEFAULT_SUFFIX) && s.slice(0, -DEFAULT_SUFFIX.length) === api.resource.toLowerCase()),
  );
}

export function apiForResource(resource: string): ProtectedApi | undefined {
  return API_LIST.find((api) => api.resource === resource);
}

export function splitScopes(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
}

/**
 * An access token's `scp` as Entra writes it: each scope without its API's prefix
 * (`api://sample-api/access_as_user` → `access_as_user`); Graph's are short already (`User.Read`).
 * The token response's `scope` keeps the full form, as Entra's does.
 */
export function scpOf(scope: string): string {
  return splitScopes(scope)
    .map((s) => {
      const prefix = `${apiForScope(s)?.resource ?? ''}/`.toLowerCase();
      return prefix.length > 1 && s.toLowerCase().startsWith(prefix) ? s.slice(prefix.length) : s;
    })
    .join(' ');
}

/** Resources named by the scopes, in the order the scopes name them, without repeats. */
export function resourcesForScopes(scopes: readonly string[]): string[] {
  const out: string[] = [];
  for (const scope of scopes) {
    const api = apiForScope(scope);
    if (api && !out.includes(api.resource)) out.push(api.resource);
  }
  return out;
}

/**
 * Pick the one resource a token is for. `oneOf` is what the grant holds (oidc-provider passes it when
 * there are several); the first requested scope's API wins, as Entra issues a token for the first
 * resource when scopes of several are asked for.
 */
export function chooseResource(requestedScopes: readonly string[], oneOf?: readonly string[]): string | string[] | undefined {
  const wanted = resourcesForScopes(requestedScopes);
  if (!oneOf) {
    // At the authorization endpoint every named API is consented to in one go (MSAL's extraScopesToConsent).
    if (wanted.length === 0) return undefined;
    return wanted.length === 1 ? wanted[0] : wanted;
  }
  return wanted.find((r) => oneOf.includes(r)) ?? oneOf[0];
}
