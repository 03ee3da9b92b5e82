// The sample API as a CAE-enabled resource (Entra's "continuous access evaluation"): a token that is
// still valid by its signature and `exp` is refused when the user's sessions were revoked after it was
// issued, or when the endpoint needs an authentication context (`acrs`) the token lacks. A client that
// declared the `cp1` capability (`xms_cc`) gets a claims challenge it can answer (401
// insufficient_claims + the claims to ask for); any other client gets a plain invalid_token, as
// Entra-protected APIs must not send challenges to apps that cannot handle them. Pure: the revocation
// time is looked up by the caller.
import { ApiAuthError, insufficientClaims, invalidToken } from './www-authenticate.js';
import type { ValidatedToken } from './token-validator.js';

/** Where the API learns of revoked sessions (the IdP's critical events; see idp/cae.ts). */
export interface RevocationSource {
  revokedAt(tenantId: string, oid: string): number | undefined;
}

const listOf = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);

export function handlesClaimsChallenges(claims: ValidatedToken['claims']): boolean {
  return listOf((claims as Record<string, unknown>).xms_cc).includes('cp1');
}

/** Throws the answer for a token CAE refuses; returns for one it accepts. */
export function evaluateContinuousAccess(
  claims: ValidatedToken['claims'],
  context: { revokedAt: number | undefined; requiredAcrs?: string | undefined },
): void {
  const capable = handlesClaimsChallenges(claims);
  const iat = typeof claims.iat === 'number' ? claims.iat : 0;
  if (context.revokedAt !== undefined && iat < context.revokedAt) {
    if (!capable) throw invalidToken("The user's sessions were revoked after this token was issued.");
    // Entra's CAE challenge: a token from a sign-in at or after the revocation.
    throw insufficientClaims("The user's sessions were revoked after this token was issued: sign in again.", {
      nbf: { essential: true, value: String(context.revokedAt) },
    });
  }
  const needed = context.requiredAcrs;
  if (needed && !listOf((claims as Record<string, unknown>).acrs).includes(needed)) {
    if (!capable) throw new ApiAuthError(401, 'invalid_token', `This endpoint needs the authentication context ${needed}, which the client cannot be asked for.`);
    throw insufficientClaims(`This endpoint needs the authentication context ${needed}.`, { acrs: { essential: true, value: needed } });
  }
}
