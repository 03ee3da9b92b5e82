// ID token validation with jose (OIDC Core §3.1.3.7): signature against the authority's JWKS,
// exact issuer (Entra's {tenantid} template resolved from `tid`), audience = our client id,
// exp/nbf/iat within the allowed clock skew, and the nonce we sent. oauth4webapi already checked the
// claims while parsing the token response; this is where the signature is proven.
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { ClientAuthError, ClientAuthErrorCode as C, AuthError } from './errors.js';
import { resolveIssuer } from './authority.js';
import type { JwksCache } from './jwks.js';
import type { Clock } from './clock.js';

/** Asymmetric algorithms only: `none` and HMAC (whose key would be our public client id) are refused. */
export const ACCEPTED_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export interface IdTokenClaims extends JWTPayload {
  sub: string;
  iss: string;
  tid?: string;
  oid?: string;
  nonce?: string;
  name?: string;
  preferred_username?: string;
  email?: string;
  login_hint?: string;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce?: string | undefined;
  clock: Clock;
  clockSkewSeconds: number;
}

export async function validateIdToken(idToken: string, jwks: JwksCache, expect: IdTokenExpectations): Promise<IdTokenClaims> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(idToken).alg;
  } catch (err) {
    throw new ClientAuthError(C.idTokenMalformed, 'The ID token is malformed', { cause: err });
  }
  if (!alg || !ACCEPTED_ALGS.includes(alg)) {
    throw new ClientAuthError(C.idTokenAlg, 'The ID token is signed with an algorithm that is not accepted');
  }
  const now = expect.clock.now();
  let payload: JWTPayload;
  try {
    // The expected issuer may depend on the token's tid (multi-tenant template): check it after.
    ({ payload } = await jwtVerify(idToken, jwks.resolver(), {
      audience: expect.clientId,
      algorithms: ACCEPTED_ALGS,
      clockTolerance: expect.clockSkewSeconds,
      currentDate: new Date(now),
      requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    }));
  } catch (err) {
    throw mapJoseError(err);
  }
  const expectedIssuer = resolveIssuer(expect.issuer, payload);
  if (payload.iss !== expectedIssuer) throw new ClientAuthError(C.idTokenIssuer, 'The ID token was issued by an unexpected issuer');
  if (typeof payload.iat === 'number' && payload.iat > now / 1000 + expect.clockSkewSeconds) {
    throw new ClientAuthError(C.idTokenNotYetValid, 'The ID token was issued in the future');
  }
  if (expect.nonce !== undefined && payload.nonce !== expect.nonce) {
    throw new ClientAuthError(C.nonceMismatch, 'The ID token nonce does not match the request');
  }
  if (typeof payload.sub !== 'string') throw new ClientAuthError(C.idTokenMalformed, 'The ID token has no subject');
  return payload as IdTokenClaims;
}

function mapJoseError(err: unknown): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof joseErrors.JWTExpired) return new ClientAuthError(C.idTokenExpired, 'The ID token has expired', { cause: err });
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return new ClientAuthError(C.idTokenAudience, 'The ID token was issued for another client', { cause: err });
    if (err.claim === 'nbf' || err.claim === 'iat') return new ClientAuthError(C.idTokenNotYetValid, 'The ID token is not valid yet', { cause: err });
    return new ClientAuthError(C.idTokenMalformed, `The ID token's ${err.claim} claim is not acceptable`, { cause: err });
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return new ClientAuthError(C.idTokenSignature, 'The ID token signature is invalid', { cause: err });
  if (err instanceof joseErrors.JWKSNoMatchingKey) return new ClientAuthError(C.idTokenUnknownKid, "The ID token's signing key is not among the authority's keys", { cause: err });
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return new ClientAuthError(C.idTokenAlg, 'The ID token is signed with an algorithm that is not accepted', { cause: err });
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return new ClientAuthError(C.idTokenMalformed, 'The ID token is malformed', { cause: err });
  return new ClientAuthError(C.idTokenMalformed, 'The ID token could not be validated', { cause: err });
}
