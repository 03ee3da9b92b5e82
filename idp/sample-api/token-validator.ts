// Bearer token validation for the sample API with jose: the IdP's JWKS (fetched over HTTPS trusting only
// the IdP's pinned certificate), the exact issuer of the API's tenant, the API's audience, the time
// claims, then the permission the endpoint needs: a delegated scope (`scp`) or an app role (`roles`).
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { createFetch } from '../../electron/core/http/pinned-fetch.js';
import { ApiAuthError, insufficient, invalidToken, missingToken } from './www-authenticate.js';

export const SAMPLE_API_AUDIENCE = 'api://sample-api';
export const ACCESS_AS_USER = 'access_as_user';
export const SAMPLE_API_SCOPE = `${SAMPLE_API_AUDIENCE}/${ACCESS_AS_USER}`;
export const DATA_READ_ALL = 'Data.Read.All';

export class KeysUnavailableError extends Error {
  override readonly name = 'KeysUnavailableError';
  readonly code = 'jwks_unavailable';
  constructor(options?: { cause?: unknown }) {
    super("The identity provider's signing keys could not be fetched.", options);
  }
}

export type Requirement = { kind: 'scope'; scope: string } | { kind: 'role'; role: string };

export interface ValidatorOptions {
  /** `https://localhost:PORT` */
  idpUrl: string;
  caCertPem: string;
  /** The tenant GUID: tokens of other tenants are refused (exact issuer). */
  tenantId: string;
  audience?: string;
  clockToleranceSeconds?: number;
}

export interface ValidatedToken {
  claims: JWTPayload & { scp?: string; roles?: string[]; tid?: string; oid?: string; azp?: string; preferred_username?: string; name?: string };
  /** The raw bearer value, kept only for the on-behalf-of exchange. */
  raw: string;
}

/** `Authorization: Bearer <token>` → the token; anything else → the RFC 6750 error it deserves. */
export function bearerOf(header: string | undefined): string {
  if (!header) throw missingToken();
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  if (!m) throw new ApiAuthError(400, 'invalid_request', 'The Authorization header must be "Bearer <token>".');
  return m[1]!;
}

/**
 * Entra's `scp` names scopes without the API prefix (`access_as_user`), as this IdP does; a token naming
 * them in full (`api://sample-api/access_as_user`, what some other OPs write) is accepted too.
 */
export function scopesOf(scp: unknown): string[] {
  return typeof scp === 'string' ? scp.split(' ').filter(Boolean) : [];
}

export function checkRequirement(claims: ValidatedToken['claims'], need: Requirement): void {
  const scopes = scopesOf(claims.scp);
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  if (need.kind === 'scope') {
    const short = need.scope.split('/').pop()!;
    if (!scopes.some((s) => s === need.scope || s === short)) {
      throw insufficient(scopes.length ? 'The token lacks the scope this endpoint needs.' : 'This endpoint needs a user (delegated) token; an app-only token was sent.', need.scope);
    }
  } else if (scopes.length > 0 || !roles.includes(need.role)) {
    throw insufficient(scopes.length ? 'This endpoint is app-only; a user (delegated) token was sent.' : 'The application lacks the app role this endpoint needs.', need.role);
  }
}

/** jose's error → a fixed sentence (jose messages can quote claim values). */
function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The token is expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'The token is for another audience.';
    if (err.claim === 'iss') return 'The token was issued by another issuer or tenant.';
    return `The token's ${err.claim} claim is not valid.`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is not valid.';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'The token was signed by an unknown key.';
  return 'The token is malformed or not a signed JWT.';
}

export function createTokenValidator(options: ValidatorOptions) {
  const issuer = `${options.idpUrl}/${options.tenantId}/v2.0`;
  const audience = options.audience ?? SAMPLE_API_AUDIENCE;
  const pinned = createFetch({ trustedCaPem: options.caCertPem });
  const jwks = createRemoteJWKSet(new URL(`${options.idpUrl}/${options.tenantId}/discovery/v2.0/keys`), {
    [customFetch]: (url: string, init: RequestInit) => pinned(url, init),
  });

  return {
    issuer,
    audience,
    async validate(authorization: string | undefined, need: Requirement): Promise<ValidatedToken> {
      const raw = bearerOf(authorization);
      const clockTolerance = options.clockToleranceSeconds ?? 30;
      let claims: ValidatedToken['claims'];
      try {
        ({ payload: claims } = await jwtVerify(raw, jwks, {
          issuer,
          audience,
          algorithms: ['RS256'],
          requiredClaims: ['exp', 'iat'],
          clockTolerance,
        }));
      } catch (err) {
        // Not the token's fault: the IdP's keys could not be fetched (network, TLS). The API answers 503.
        if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) throw new KeysUnavailableError({ cause: err });
        throw invalidToken(reason(err));
      }
      // jose checks that iat is a number but not when it is (only with maxTokenAge): a token issued in
      // the future gets the same clock skew as nbf, no more.
      if (typeof claims.iat === 'number' && claims.iat > Date.now() / 1000 + clockTolerance) throw invalidToken('The token was issued in the future.');
      checkRequirement(claims, need);
      return { claims, raw };
    },
  };
}

export type TokenValidator = ReturnType<typeof createTokenValidator>;
