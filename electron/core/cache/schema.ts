// MSAL's unified cache schema, as @azure/msal-node serializes it: five sections, snake_case fields,
// epoch seconds as strings, lower-cased keys. Keeping exactly this shape lets a cache written here
// load in msal-node and the other way round (checked by a test).

export type CredentialType = 'IdToken' | 'AccessToken' | 'RefreshToken';

export interface TenantProfileJson {
  tenantId: string;
  localAccountId: string;
  name?: string;
  /** msal-common's profile fields from that tenant's ID token (`preferred_username` or `upn`, `login_hint`, `upn`). */
  username?: string;
  loginHint?: string;
  isHomeTenant: boolean;
  upn?: string;
}

export interface AccountEntity {
  home_account_id: string;
  environment: string;
  realm: string;
  local_account_id: string;
  username: string;
  authority_type: string; // 'MSSTS' (Entra) or 'Generic' (any OpenID Provider)
  name?: string;
  client_info?: string;
  last_modification_time?: string;
  /** JSON strings, as msal-node stores them. */
  tenantProfiles?: string[];
}

export interface IdTokenEntity {
  home_account_id: string;
  environment: string;
  credential_type: 'IdToken';
  client_id: string;
  secret: string;
  realm: string;
}

export interface AccessTokenEntity {
  home_account_id: string;
  environment: string;
  credential_type: 'AccessToken';
  client_id: string;
  secret: string;
  realm: string;
  target: string;
  cached_at: string;
  expires_on: string;
  extended_expires_on?: string;
  refresh_on?: string;
  token_type?: string;
  /** On-behalf-of tokens: SHA-256 (base64url) of the user assertion they were obtained with (msal-node's field). */
  user_assertion_hash?: string;
}

export interface RefreshTokenEntity {
  home_account_id: string;
  environment: string;
  credential_type: 'RefreshToken';
  client_id: string;
  secret: string;
  family_id?: string;
  realm?: string;
  target?: string;
}

export interface AppMetadataEntity {
  client_id: string;
  environment: string;
  family_id?: string;
}

export interface CacheJson {
  Account: Record<string, AccountEntity>;
  IdToken: Record<string, IdTokenEntity>;
  AccessToken: Record<string, AccessTokenEntity>;
  RefreshToken: Record<string, RefreshTokenEntity>;
  AppMetadata: Record<string, AppMetadataEntity>;
}

export const emptyCacheJson = (): CacheJson => ({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

/** msal-node's generateCredentialKey: home-env-type-client-realm-target-scheme, lower-cased. */
export function credentialKey(e: {
  home_account_id: string;
  environment: string;
  credential_type: CredentialType;
  client_id: string;
  family_id?: string;
  realm?: string;
  target?: string;
  token_type?: string;
}): string {
  const clientOrFamily = (e.credential_type === 'RefreshToken' && e.family_id) || e.client_id;
  const scheme = e.token_type && e.token_type.toLowerCase() !== 'bearer' ? e.token_type.toLowerCase() : '';
  return [e.home_account_id, e.environment, e.credential_type, clientOrFamily, e.realm ?? '', e.target ?? '', scheme]
    .join('-')
    .toLowerCase();
}

/** msal-node's generateAccountKey: home-env-homeTenant, lower-cased. */
export function accountKey(homeAccountId: string, environment: string, fallbackTenant: string): string {
  const homeTenant = homeAccountId.split('.')[1] || fallbackTenant;
  return [homeAccountId, environment, homeTenant].join('-').toLowerCase();
}

export const appMetadataKey = (environment: string, clientId: string): string =>
  ['appmetadata', environment, clientId].join('-').toLowerCase();
