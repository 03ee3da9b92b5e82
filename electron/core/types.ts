// The public shapes, named as MSAL names them so people who know msal-node feel at home.
import type { IdTokenClaims } from './id-token.js';
import type { CommonClientConfiguration } from './create-engine-context.js';

export type { IdTokenClaims };

export interface TenantProfile {
  tenantId: string;
  localAccountId: string;
  name?: string;
  isHomeTenant: boolean;
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
  /** Try this loopback port first; an ephemeral one is used when it is taken. */
  preferredPort?: number;
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
  correlationId?: string;
}

export interface UsernamePasswordRequest {
  scopes: string[];
  username: string;
  password: string;
  correlationId?: string;
}

export interface SignOutResult {
  /** The IdP's end-session URL, for the shell to clear the browser session too (absent if none). */
  endSessionUrl?: string;
}
