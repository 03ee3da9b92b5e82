// RFC 6750 §3 errors of a bearer-protected API, as one typed error and one pure header builder.
// A request without a token gets a challenge with no error code (§3.1: the client did not try);
// a bad token gets 401 invalid_token; a good token without the needed scope/role gets 403
// insufficient_scope. A valid token the API still refuses — issued before the user's sessions were
// revoked, or without an authentication context the endpoint needs — gets Entra's CAE claims challenge:
// 401 insufficient_claims with `claims="<base64 JSON>"`, the claims to ask the IdP for.
// Descriptions are fixed sentences: never the token or its claims.

export type BearerErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'insufficient_claims';

export class ApiAuthError extends Error {
  override readonly name = 'ApiAuthError';
  constructor(
    readonly status: 401 | 403 | 400,
    /** Undefined for a request that carried no token at all. */
    readonly code: BearerErrorCode | undefined,
    readonly description: string,
    /** For insufficient_scope: the scope or role that would be enough. */
    readonly scope?: string,
    /** For insufficient_claims: the claims request (JSON text), sent base64-encoded. */
    readonly claims?: string,
  ) {
    super(description);
  }
}

export const REALM = 'sample-api';

/** Quotes are the only character RFC 7235 quoted-strings must escape here (descriptions are ours). */
const quoted = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;

export function wwwAuthenticate(err: Pick<ApiAuthError, 'code' | 'description' | 'scope' | 'claims'>, authorizationUri?: string): string {
  const parts = [`realm=${quoted(REALM)}`];
  if (authorizationUri) parts.push(`authorization_uri=${quoted(authorizationUri)}`);
  if (err.code) parts.push(`error=${quoted(err.code)}`, `error_description=${quoted(err.description)}`);
  if (err.scope) parts.push(`scope=${quoted(err.scope)}`);
  if (err.claims) parts.push(`claims=${quoted(Buffer.from(err.claims).toString('base64'))}`);
  return `Bearer ${parts.join(', ')}`;
}

export const missingToken = () => new ApiAuthError(401, undefined, 'A bearer access token is required.');
export const invalidToken = (why: string) => new ApiAuthError(401, 'invalid_token', why);
export const insufficient = (why: string, scope: string) => new ApiAuthError(403, 'insufficient_scope', why, scope);
export const insufficientClaims = (why: string, claims: Record<string, unknown>) =>
  new ApiAuthError(401, 'insufficient_claims', why, undefined, JSON.stringify({ access_token: claims }));
