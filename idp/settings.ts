// Mutable runtime settings of one IdP instance: what the test controls change while it runs.

/** Lifetimes in seconds. Tests shorten them (down to 1 s) to exercise expiry without waiting. */
export interface TokenLifetimes {
  accessToken: number;
  idToken: number;
  refreshToken: number;
  authorizationCode: number;
  deviceCode: number;
  session: number;
}

/** Entra-like defaults: 1 h access tokens, 90-day refresh tokens, 10-minute codes, 15-minute device codes. */
export const DEFAULT_LIFETIMES: TokenLifetimes = {
  accessToken: 3600,
  idToken: 3600,
  refreshToken: 90 * 24 * 3600,
  authorizationCode: 600,
  deviceCode: 900,
  session: 24 * 3600,
};

export interface DeviceFlowSettings {
  /** Polling interval announced in the device authorization response (RFC 8628 `interval`). */
  interval: number;
  /** Added to a device code's interval after each `slow_down` (RFC 8628 says 5 s). */
  slowDownIncrement: number;
}

export const DEFAULT_DEVICE_FLOW: DeviceFlowSettings = { interval: 5, slowDownIncrement: 5 };

/**
 * What redeeming a refresh token that was already redeemed does. Each redemption returns a new refresh
 * token either way.
 * - `allow` (default, as Entra): the older one stays valid until it expires. Two MSAL clients sharing
 *   one cache depend on this: the one that did not write last still holds an older refresh token.
 * - `revoke` (OAuth 2.1 reuse detection, oidc-provider's own behaviour): the reuse fails with
 *   invalid_grant "refresh token already used" and the whole grant is revoked.
 */
export type RefreshTokenReuse = 'allow' | 'revoke';

export const REFRESH_TOKEN_REUSE_MODES: readonly RefreshTokenReuse[] = ['allow', 'revoke'];

export class InvalidRefreshTokenReuseError extends Error {
  override readonly name = 'InvalidRefreshTokenReuseError';
  readonly code = 'invalid_refresh_token_reuse';
}

export function validRefreshTokenReuse(value: unknown): RefreshTokenReuse {
  if (!REFRESH_TOKEN_REUSE_MODES.includes(value as RefreshTokenReuse)) {
    throw new InvalidRefreshTokenReuseError(`refreshTokenReuse must be 'allow' or 'revoke' (got ${String(value)})`);
  }
  return value as RefreshTokenReuse;
}

export interface IdpSettings {
  lifetimes: TokenLifetimes;
  deviceFlow: DeviceFlowSettings;
  /** Usernames (short form) that may not sign in; their refresh tokens stop working too. */
  disabledUsers: Set<string>;
  /**
   * Hold each token endpoint answer this long after the grant was processed (a slow network or
   * service): a refresh token has already been rotated while the client still waits for the new one.
   */
  tokenResponseDelayMs: number;
  refreshTokenReuse: RefreshTokenReuse;
}

export function createSettings(
  lifetimes: Partial<TokenLifetimes> = {},
  deviceFlow: Partial<DeviceFlowSettings> = {},
  refreshTokenReuse: RefreshTokenReuse = 'allow',
): IdpSettings {
  return {
    lifetimes: { ...DEFAULT_LIFETIMES, ...validLifetimes(lifetimes) },
    deviceFlow: { ...DEFAULT_DEVICE_FLOW, ...deviceFlow },
    disabledUsers: new Set(),
    tokenResponseDelayMs: 0,
    refreshTokenReuse: validRefreshTokenReuse(refreshTokenReuse),
  };
}

export class InvalidLifetimeError extends Error {
  override readonly name = 'InvalidLifetimeError';
  readonly code = 'invalid_lifetime';
}

/** Only whole positive seconds: oidc-provider computes `exp` from integers. */
export function validLifetimes(input: Partial<TokenLifetimes>): Partial<TokenLifetimes> {
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidLifetimeError(`token lifetime ${key} must be a whole number of seconds ≥ 1 (got ${value})`);
    }
  }
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
