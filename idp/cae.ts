// Continuous Access Evaluation and claims requests, Entra-shaped:
// - a `claims` request parameter's `access_token` member (`xms_cc` client capabilities, `acrs`
//   authentication contexts, `nbf` "signed in after"), read by one pure, bounded parser;
// - the authentication contexts a sign-in satisfied, carried in oidc-provider's `acr` (session → code
//   → refresh token) so every token of that sign-in can say `acrs`;
// - revocation events ("alice's sessions were revoked at T"), which Entra pushes to CAE-enabled APIs
//   and this IdP hands to the sample API in-process (the two run together; see sample-api/README.md).

export interface AccessTokenClaimsRequest {
  /** Authentication context ids asked for as essential (`acrs` value / values). */
  acrs: string[];
  /** `nbf` asked for: tokens must come from a sign-in at or after this epoch second. */
  notBefore?: number;
  /** Client capabilities declared (`xms_cc` values), e.g. `cp1`. */
  capabilities: string[];
}

const NONE: AccessTokenClaimsRequest = { acrs: [], capabilities: [] };
const MAX_CLAIMS_LENGTH = 8 * 1024;
const ID = /^[A-Za-z0-9._-]{1,64}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function ids(member: unknown): string[] {
  if (!isObject(member)) return [];
  const list = member.values !== undefined ? member.values : member.value !== undefined ? [member.value] : [];
  return Array.isArray(list) ? [...new Set(list.filter((v): v is string => typeof v === 'string' && ID.test(v)))].slice(0, 16) : [];
}

/**
 * The `access_token` part of a claims parameter. Lenient as Entra is with what it does not use: a value
 * that is not JSON, not an object or out of bounds asks for nothing (authorize validates it separately).
 */
export function accessTokenClaimsRequest(claims: unknown): AccessTokenClaimsRequest {
  if (typeof claims !== 'string' || !claims || claims.length > MAX_CLAIMS_LENGTH) return NONE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(claims);
  } catch {
    return NONE;
  }
  const at = isObject(parsed) && isObject(parsed.access_token) ? parsed.access_token : undefined;
  if (!at) return NONE;
  const nbf = isObject(at.nbf) ? Number(at.nbf.value) : NaN;
  return {
    acrs: ids(at.acrs),
    ...(Number.isSafeInteger(nbf) && nbf > 0 ? { notBefore: nbf } : {}),
    capabilities: ids(at.xms_cc),
  };
}

/** The `acr` of a sign-in that satisfied these authentication contexts (oidc-provider keeps one string). */
const ACR_PREFIX = 'urn:local-idp:acrs:';
export function acrFor(acrs: readonly string[]): string | undefined {
  return acrs.length ? ACR_PREFIX + [...new Set(acrs)].join(' ') : undefined;
}
export function acrsOf(acr: unknown): string[] {
  return typeof acr === 'string' && acr.startsWith(ACR_PREFIX) ? acr.slice(ACR_PREFIX.length).split(' ').filter((a) => ID.test(a)) : [];
}

/**
 * Why this claims request needs the user to sign in again, given what the current sign-in (session,
 * or the refresh token's) satisfied; undefined when it does not.
 */
export function stepUpReason(request: AccessTokenClaimsRequest, signIn: { acr?: unknown; authTime?: unknown }): 'acrs' | 'nbf' | undefined {
  const satisfied = new Set(acrsOf(signIn.acr));
  if (request.acrs.some((a) => !satisfied.has(a))) return 'acrs';
  const authTime = typeof signIn.authTime === 'number' ? signIn.authTime : 0;
  if (request.notBefore !== undefined && authTime < request.notBefore) return 'nbf';
  return undefined;
}

/** Revoked-sessions events by tenant and user object id, for CAE-enabled resource servers. */
export class RevocationEvents {
  readonly #at = new Map<string, number>();

  record(tenantId: string, oid: string, atSeconds: number): void {
    this.#at.set(`${tenantId}|${oid}`, atSeconds);
  }

  /** Epoch second of the user's last revocation in the tenant, if any. */
  revokedAt(tenantId: string, oid: string): number | undefined {
    return this.#at.get(`${tenantId}|${oid}`);
  }
}
