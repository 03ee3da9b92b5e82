// The one place cache entities are built from a token response, when a cached access token is due for
// renewal, and how an AuthenticationResult is made from an entity. The user grants (token-response.ts)
// and the app-only ones (confidential/app-token.ts) share it, so `expires_in` and the renewal window
// mean the same thing everywhere.
import { ScopeSet } from '../scopes.js';
import type { AccessTokenEntity, IdTokenEntity, RefreshTokenEntity } from './schema.js';
import type { AccountInfo, AuthenticationResult, IdTokenClaims } from '../types.js';

/** What the entities are keyed by: MSAL's home account id, environment (authority host), client and realm. */
export interface EntityKey {
  homeAccountId: string;
  environment: string;
  clientId: string;
  realm: string;
}

/** The fields of a token response the access token entity is made of (oauth4webapi has checked their types). */
export interface TokenFields {
  access_token: string;
  token_type: string;
  expires_in?: unknown;
  ext_expires_in?: unknown;
  refresh_in?: unknown;
}

/** Without `expires_in` (it is only RECOMMENDED, RFC 6749 §5.1) a token is taken to live an hour, as MSAL does. */
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

export function accessTokenEntity(
  key: EntityKey,
  body: TokenFields,
  r: { now: number; target: ScopeSet; userAssertionHash?: string | undefined },
): AccessTokenEntity {
  const expiresIn = seconds(body.expires_in) ?? DEFAULT_EXPIRES_IN_SECONDS;
  const extExpiresIn = seconds(body.ext_expires_in);
  const refreshIn = seconds(body.refresh_in);
  return {
    home_account_id: key.homeAccountId,
    environment: key.environment,
    credential_type: 'AccessToken',
    client_id: key.clientId,
    secret: body.access_token,
    realm: key.realm,
    target: r.target.toString(),
    cached_at: String(r.now),
    expires_on: String(r.now + expiresIn),
    ...(extExpiresIn !== undefined ? { extended_expires_on: String(r.now + extExpiresIn) } : {}),
    ...(refreshIn !== undefined ? { refresh_on: String(r.now + refreshIn) } : {}),
    // oauth4webapi lower-cases token_type; the cache and results carry the RFC 6750 spelling.
    token_type: body.token_type === 'bearer' ? 'Bearer' : body.token_type,
    ...(r.userAssertionHash ? { user_assertion_hash: r.userAssertionHash } : {}),
  };
}

export function idTokenEntity(key: EntityKey, idToken: string): IdTokenEntity {
  return {
    home_account_id: key.homeAccountId,
    environment: key.environment,
    credential_type: 'IdToken',
    client_id: key.clientId,
    secret: idToken,
    realm: key.realm,
  };
}

/** Refresh tokens are not realmed (one per account, client and environment, as msal-node keys them). */
export function refreshTokenEntity(key: Omit<EntityKey, 'realm'>, refreshToken: string): RefreshTokenEntity {
  return {
    home_account_id: key.homeAccountId,
    environment: key.environment,
    credential_type: 'RefreshToken',
    client_id: key.clientId,
    secret: refreshToken,
  };
}

/**
 * What a cached access token needs at `now` (epoch seconds):
 *  - `renew`: it expires within the renewal offset (or has): get a new one before answering;
 *  - `background`: still valid, but past the server's `refresh_on`: answer with it and renew alongside;
 *  - `fresh`: answer with it.
 */
export type Renewal = 'fresh' | 'background' | 'renew';

export function renewalOf(at: Pick<AccessTokenEntity, 'expires_on' | 'refresh_on'>, now: number, renewalOffsetSeconds: number): Renewal {
  const expiresOn = Number(at.expires_on);
  // A malformed expiry (NaN) is never served.
  if (!(expiresOn - renewalOffsetSeconds > now)) return 'renew';
  if (at.refresh_on && Number(at.refresh_on) <= now) return 'background';
  return 'fresh';
}

/** The one builder of results: user tokens (with an ID token and account) and app-only ones alike. */
export function resultFrom<S extends string>(
  at: AccessTokenEntity,
  r: {
    idToken: string;
    claims: IdTokenClaims;
    account: AccountInfo | null;
    uniqueId: string;
    /** The scopes to report, when not the entity's own target (app tokens cached under more). */
    scopes?: ScopeSet | undefined;
    fromCache: boolean;
    source: S;
    correlationId: string;
  },
): Omit<AuthenticationResult, 'source'> & { source: S } {
  return {
    accessToken: at.secret,
    idToken: r.idToken,
    idTokenClaims: r.claims,
    expiresOn: new Date(Number(at.expires_on) * 1000),
    ...(at.extended_expires_on ? { extExpiresOn: new Date(Number(at.extended_expires_on) * 1000) } : {}),
    ...(at.refresh_on ? { refreshOn: new Date(Number(at.refresh_on) * 1000) } : {}),
    tenantId: at.realm,
    account: r.account,
    scopes: [...(r.scopes ?? ScopeSet.from(at.target)).values],
    uniqueId: r.uniqueId,
    fromCache: r.fromCache,
    tokenType: at.token_type ?? 'Bearer',
    correlationId: r.correlationId,
    source: r.source,
  };
}

/** A non-negative finite number of seconds (oauth4webapi has parsed `expires_in`; the others are Entra's, often strings). */
function seconds(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
