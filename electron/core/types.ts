// The public shapes, named as MSAL names them so people who know msal-node feel at home.
import type { IdTokenClaims } from './id-token.js';
import type { CommonClientConfiguration } from './create-engine-context.js';

export type { IdTokenClaims };

export interface TenantProfile {
  tenantId: string;
  localAccountId: string;
  name?: string;
  /** msal-common's profile fields from that tenant's ID token (`preferred_username` or `upn`, `login_hint`, `upn`). */
  username?: string;
  loginHint?: string;
  isHomeTenant: boolean;
  upn?: string;
}

export interface AccountInfo {
  homeAccountId: string;
  environment: string;
  /** The tenant of the profile this object describes (the home tenant when signed in there). */
  tenantId: string;
  username: string;
  localAccountId: string;
  name?: string;
  idTokenClaims?: IdTokenClaims;
  /** One entry per tenant this person signed in to with this app. */
  tenantProfiles: Map<string, TenantProfile>;
}

/**
 * What the cache holds for one account, as metadata only (getCachedTokens): no token value, ever.
 * Times are epoch milliseconds.
 */
export interface CachedAccessTokenInfo {
  /** The granted scopes the token was stored under (the cache entry's `target`). */
  scopes: string[];
  realm: string;
  clientId: string;
  cachedAt: number;
  expiresOn: number;
  refreshOn?: number;
  tokenType?: string;
}
export interface CachedRefreshTokenInfo {
  present: boolean;
  clientId?: string;
  familyId?: string;
}
export interface CachedTokensInfo {
  accessTokens: CachedAccessTokenInfo[];
  refreshToken: CachedRefreshTokenInfo;
}

export type TokenSource = 'cache' | 'refresh' | 'interactive' | 'device_code' | 'iwa' | 'password';

/** Where a confidential client's token came from (kept apart so the desktop app's views stay exhaustive). */
export type ConfidentialTokenSource = 'cache' | 'client_credentials' | 'on_behalf_of' | 'authorization_code';

/** A confidential client's result: `account` is null for app-only and on-behalf-of tokens. */
export type ConfidentialAuthenticationResult = Omit<AuthenticationResult, 'source'> & { source: ConfidentialTokenSource };

export interface AuthenticationResult {
  /** Opaque: never parsed by the engine. */
  accessToken: string;
  idToken: string;
  idTokenClaims: IdTokenClaims;
  expiresOn: Date;
  extExpiresOn?: Date;
  refreshOn?: Date;
  /** The tenant that issued the token (a B2B guest's is the guest tenant). */
  tenantId: string;
  account: AccountInfo | null;
  /** As granted by the server. */
  scopes: string[];
  /** `oid`, else `sub`. */
  uniqueId: string;
  fromCache: boolean;
  tokenType: string;
  correlationId: string;
  source: TokenSource;
}

export interface PublicClientConfiguration extends CommonClientConfiguration {
  auth: CommonClientConfiguration['auth'] & {
    /** The documents call the password grant not recommended: off unless set. */
    allowUsernamePassword?: boolean;
  };
}

export interface SilentRequest {
  account: AccountInfo;
  scopes: string[];
  forceRefresh?: boolean;
  claims?: string;
  correlationId?: string;
}

export interface InteractiveRequest {
  scopes: string[];
  openBrowser: (url: string) => Promise<void> | void;
  prompt?: 'login' | 'select_account' | 'consent' | 'none' | 'create';
  loginHint?: string;
  domainHint?: string;
  signal?: AbortSignal;
  /** Default 5 minutes. */
  timeoutMs?: number;
  /** Try this loopback port first; an ephemeral one is used when it is taken (unless `strictPort`). */
  preferredPort?: number;
  /**
   * Only `preferredPort`: when it is taken, fail at once with ClientAuthError `loopback_port_unavailable`
   * instead of using another port. For servers that compare redirect URIs as exact strings.
   */
  strictPort?: boolean;
  claims?: string;
  correlationId?: string;
}

export interface IntegratedWindowsAuthRequest {
  scopes: string[];
  /** The signed-in user's UPN when known: sent as login_hint, and its domain as Entra's domain_hint. */
  username?: string;
  signal?: AbortSignal;
  /** The whole flow, discovery to cached token. Default 5 seconds: IWA runs before any UI. */
  timeoutMs?: number;
  claims?: string;
  correlationId?: string;
}

export interface DeviceCodeInfo {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresIn: number;
  interval: number;
  message: string;
}

export interface DeviceCodeRequest {
  scopes: string[];
  deviceCodeCallback: (info: DeviceCodeInfo) => void;
  signal?: AbortSignal;
  timeoutMs?: number;
  claims?: string;
  correlationId?: string;
}

export interface UsernamePasswordRequest {
  scopes: string[];
  username: string;
  password: string;
  claims?: string;
  correlationId?: string;
}

export interface SignOutOptions {
  /**
   * Sent as `post_logout_redirect_uri` (it must be registered with the IdP); `state` goes with it and
   * comes back on the redirect. endSession sets both to its own loopback listener.
   */
  postLogoutRedirectUri?: string;
  state?: string;
}

export interface SignOutResult {
  /**
   * The IdP's end-session URL (RP-Initiated Logout 1.0) with `id_token_hint` (the account's ID token
   * for its tenant), `client_id`, `logout_hint` and, when asked for, `post_logout_redirect_uri` +
   * `state`; for the shell to end the browser session too (absent if the IdP has no end_session_endpoint).
   */
  endSessionUrl?: string;
}

export interface EndSessionRequest {
  account: AccountInfo;
  /** Opens the end-session URL in the browser that holds the IdP session (the login window's partition). */
  openBrowser: (url: string) => Promise<void> | void;
  signal?: AbortSignal;
  /** Default 2 minutes: the IdP may ask the user to confirm. */
  timeoutMs?: number;
}

export interface EndSessionResult {
  endSessionUrl?: string;
  /** True once the IdP redirected back to the loopback listener (it ended, or the user declined, the session). */
  redirected: boolean;
}
