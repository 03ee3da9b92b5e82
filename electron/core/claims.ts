// The `claims` request parameter (OpenID Connect Core §5.5), as MSAL builds it: the request's own claims
// (a claims challenge from an API, e.g. `{"access_token":{"nbf":{"essential":true,"value":"…"}}}`) with
// the app's client capabilities merged in as `access_token.xms_cc`. Entra only sends CAE claims
// challenges to apps that declared `cp1`, so every authorize and token request carries them.
import { ClientAuthError, ClientAuthErrorCode as C } from './errors.js';

/** A claims parameter the engine will send: JSON, an object, bounded (it goes into a URL). */
export const MAX_CLAIMS_LENGTH = 8 * 1024;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** msal-common's isEmptyObj: absent, not JSON, or `{}` count as "no claims". */
export function hasClaims(claims: string | undefined): boolean {
  if (!claims) return false;
  try {
    const parsed: unknown = JSON.parse(claims);
    return isPlainObject(parsed) ? Object.keys(parsed).length > 0 : true;
  } catch {
    return true; // not JSON: mergeClaims refuses it, loudly, rather than dropping it here
  }
}

/**
 * msal-common's addClientCapabilitiesToClaims: parse the request's claims (or start from `{}`), set
 * `access_token.xms_cc = { values: capabilities }` (replacing any xms_cc the request had, keeping its
 * other access_token members), and serialize. Undefined when there is nothing to send (no claims and no
 * capabilities), so the request carries no `claims` at all, as MSAL's does. A claims string that is not
 * a JSON object is the caller's mistake: ClientAuthError `invalid_claims`.
 */
export function mergeClaims(requestClaims: string | undefined, capabilities: readonly string[]): string | undefined {
  const withClaims = hasClaims(requestClaims);
  if (!withClaims && capabilities.length === 0) return undefined;
  let merged: Record<string, unknown> = {};
  if (withClaims) {
    if (requestClaims!.length > MAX_CLAIMS_LENGTH) throw new ClientAuthError(C.invalidClaims, 'The claims request is too long');
    let parsed: unknown;
    try {
      parsed = JSON.parse(requestClaims!);
    } catch (cause) {
      throw new ClientAuthError(C.invalidClaims, 'The claims request is not JSON', { cause });
    }
    if (!isPlainObject(parsed)) throw new ClientAuthError(C.invalidClaims, 'The claims request must be a JSON object');
    merged = parsed;
  }
  if (capabilities.length > 0) {
    const current = merged.access_token;
    // msal adds to an existing access_token member; one that is not an object cannot take xms_cc.
    const accessToken = isPlainObject(current) ? current : {};
    merged = { ...merged, access_token: { ...accessToken, xms_cc: { values: [...capabilities] } } };
  }
  return JSON.stringify(merged);
}

/** `auth.clientCapabilities` checked once, at configuration: short tokens such as `cp1`. */
export function validClientCapabilities(value: unknown): string[] {
  if (value === undefined) return [];
  const ok = Array.isArray(value) && value.length <= 16 && value.every((c) => typeof c === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(c));
  if (!ok) throw new ClientAuthError(C.invalidArgument, 'auth.clientCapabilities must be a list of short capability names, e.g. ["cp1"]');
  return [...new Set(value as string[])];
}
