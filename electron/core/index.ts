// The public entry of the engine (package subpath "./core"). No Electron import anywhere below here.
export { PublicClientApplication } from './public-client.js';
export {
  AuthError,
  InteractionRequiredAuthError,
  ServerError,
  ClientAuthError,
  ClientAuthErrorCode,
  NetworkError,
  UserCancelError,
  TimeoutError,
  CachePersistenceError,
} from './errors.js';
export { ScopeSet } from './scopes.js';
export { DEFAULT_IWA_TIMEOUT_MS } from './flows/iwa.js';
export { negotiateAllowlist } from './iwa/negotiate-allowlist.js';
export { systemClock, type Clock } from './clock.js';
export type { Logger, LogLevel } from './logger.js';
export type { ProtocolMode } from './authority.js';
export type {
  CachePersistence,
  SerializableTokenCache,
  TokenCacheContext,
  PersistenceState,
  PersistenceWarning,
} from './cache/persistence.js';
export type { CacheJson } from './cache/schema.js';
export type {
  AccountInfo,
  AuthenticationResult,
  ConfidentialAuthenticationResult,
  ConfidentialTokenSource,
  DeviceCodeInfo,
  DeviceCodeRequest,
  EndSessionRequest,
  EndSessionResult,
  IdTokenClaims,
  IntegratedWindowsAuthRequest,
  InteractiveRequest,
  PublicClientConfiguration,
  CachedAccessTokenInfo,
  CachedRefreshTokenInfo,
  CachedTokensInfo,
  SignOutOptions,
  SignOutResult,
  SilentRequest,
  TenantProfile,
  TokenSource,
  UsernamePasswordRequest,
} from './types.js';

// The encrypted persistence (issue 4), plugged in through `cache.persistence`. keytar is loaded lazily
// inside it, so importing the engine does not require the native module.
export {
  createKeychainPersistence,
  DEFAULT_KEY_ACCOUNT,
  createMemoryKeyStore,
  createKeytarKeyStore,
  keychainErrorCode,
  CachePersistenceErrorCode,
  EMPTY_CACHE_JSON,
  FORMAT_VERSION,
  type KeychainPersistence,
  type KeychainPersistenceOptions,
  type KeychainPersistenceStats,
  type KeychainPersistenceWarning,
  type KeyStore,
  type KeytarKeyStoreOptions,
} from './persistence/index.js';

// Confidential clients (issue 7): daemons (client credentials), web APIs (on-behalf-of), web apps (auth code).
export { ConfidentialClientApplication, type ConfidentialClientConfiguration } from './confidential-client.js';
export type { ClientCertificate } from './confidential/client-assertion.js';
export type { ClientCredentialRequest } from './flows/client-credential.js';
export type { OnBehalfOfRequest } from './flows/on-behalf-of.js';
export { generatePkceCodes, type AuthCodeRequest, type AuthCodeUrlRequest, type PkceCodes } from './flows/auth-code-web.js';
