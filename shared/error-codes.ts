// Every stable error code the app produces, one `as const` table per error class. The UI maps codes to
// a sentence and an action (error-messages.ts) and the tests assert them, so a code never changes once
// shipped; constructors accept only these, so a misspelt code is a type error, not a silent fallback.
// Codes the IdP sends (`invalid_grant`, `AADSTS50076`, ...) are not ours and are not listed: they stay
// strings, branded `IdpCode` where they enter the engine (electron/core/protocol-errors.ts `idpCode`).
// This file is plain data shared by the engine, the app and the renderer; it imports nothing.

/** Local misuse, or a response the client refuses (electron/core ClientAuthError). */
export const ClientAuthErrorCode = {
  invalidResponse: 'invalid_response',
  invalidJson: 'invalid_json',
  responseTooLarge: 'response_too_large',
  missingAccessToken: 'missing_access_token',
  idTokenIssuer: 'id_token_issuer_mismatch',
  idTokenAudience: 'id_token_audience_mismatch',
  idTokenExpired: 'id_token_expired',
  idTokenNotYetValid: 'id_token_not_yet_valid',
  idTokenAlg: 'id_token_unsupported_alg',
  idTokenSignature: 'id_token_invalid_signature',
  idTokenUnknownKid: 'id_token_unknown_kid',
  idTokenMalformed: 'id_token_malformed',
  nonceMismatch: 'nonce_mismatch',
  stateMismatch: 'state_mismatch',
  usernamePasswordDisabled: 'username_password_disabled',
  invalidArgument: 'invalid_argument',
  /** A request's `claims` is not a JSON object (or too long to send). */
  invalidClaims: 'invalid_claims',
  discoveryFailed: 'discovery_failed',
  /** `strictPort`: the preferred loopback port is taken, and the server would refuse any other. */
  loopbackPortUnavailable: 'loopback_port_unavailable',
  /** The device authorization response is unusable or unsafe to show (e.g. a `javascript:` verification URI). */
  invalidDeviceCodeResponse: 'invalid_device_code_response',
  /** A refresh returned tokens for another account than the one refreshed. */
  accountMismatch: 'account_mismatch',
  /** The authority's host is not in `auth.knownAuthorities`. */
  untrustedAuthority: 'untrusted_authority',
  jwksUnavailable: 'jwks_unavailable',
  /** The serialized token cache is not JSON or not an MSAL cache. */
  invalidCache: 'invalid_cache',
  browserOpenFailed: 'browser_open_failed',
  /** A sign-in or sign-out window tried to leave the allowed addresses. */
  navigationBlocked: 'navigation_blocked',
} as const;

/** The network or the transport failed (NetworkError). */
export const NetworkErrorCode = {
  networkError: 'network_error',
  windowLoadFailed: 'window_load_failed',
  invalidRedirect: 'invalid_redirect',
  unsupportedProtocol: 'unsupported_protocol',
  proxyResolutionFailed: 'proxy_resolution_failed',
  proxyUnsupported: 'proxy_unsupported',
  proxyUnreachable: 'proxy_unreachable',
  proxyRefused: 'proxy_refused',
} as const;

/** The server answered, but not with an OAuth error body (ServerError's own codes; IdP codes stay strings). */
export const ServerErrorCode = {
  /** The server's Retry-After is running; no request is sent before it ends. */
  throttled: 'throttled',
  unexpectedResponse: 'unexpected_response',
  wwwAuthenticateChallenge: 'www_authenticate_challenge',
  /** The device code ran out before it was redeemed (also the IdP's own code for it). */
  expiredToken: 'expired_token',
} as const;

/** A user must act (InteractionRequiredAuthError's own codes; the IdP's `invalid_grant`, ... stay strings). */
export const InteractionRequiredErrorCode = {
  interactionRequired: 'interaction_required',
  noTokensFound: 'no_tokens_found',
  noAccountFound: 'no_account_found',
  iwaUnavailable: 'iwa_unavailable',
  iwaNotOffered: 'iwa_not_offered',
  iwaRejected: 'iwa_rejected',
  iwaRedirectLoop: 'iwa_redirect_loop',
  iwaTimedOut: 'iwa_timed_out',
  iwaFailed: 'iwa_failed',
  kerberosUnavailable: 'kerberos_unavailable',
  kerberosFailed: 'kerberos_failed',
  kerberosNoTicket: 'kerberos_no_ticket',
  kerberosTicketExpired: 'kerberos_ticket_expired',
  kerberosUnknownService: 'kerberos_unknown_service',
  kerberosRealmUnreachable: 'kerberos_realm_unreachable',
  kerberosClockSkew: 'kerberos_clock_skew',
} as const;

export const UserCancelErrorCode = { userCancelled: 'user_cancelled' } as const;

/** `timedOut`: an operation's deadline (sign-in, device code); `requestTimedOut`: one HTTP request's. */
export const TimeoutErrorCode = { timedOut: 'timed_out', requestTimedOut: 'request_timed_out' } as const;

/** Everything the cache persistence can report (CachePersistenceError). */
export const CachePersistenceErrorCode = {
  /** The token cache could not be read or written through its persistence. */
  persistenceFailed: 'cache_persistence_failed',
  // The OS keychain could not be used (the persistence then keeps tokens in memory only).
  keychainNoDbus: 'keychain_no_dbus',
  keychainNoProvider: 'keychain_no_provider',
  keychainNoCollection: 'keychain_no_collection',
  keychainLocked: 'keychain_locked',
  keychainDenied: 'keychain_access_denied',
  keychainTimeout: 'keychain_timeout',
  keychainUnavailable: 'keychain_unavailable',
  // The cache file could not be used; a bad file is moved aside, never deleted.
  fileCorrupt: 'cache_file_corrupt',
  /** A symlink, FIFO, device or socket at the cache path (moved aside), or a folder (left, memory-only). */
  fileNotRegular: 'cache_file_not_regular',
  /** Over `maxFileBytes`: moved aside unread. */
  fileTooLarge: 'cache_file_too_large',
  keyMissing: 'cache_key_missing',
  keyMismatch: 'cache_key_mismatch',
  keyInvalid: 'cache_key_invalid',
  formatUnsupported: 'cache_format_unsupported',
  readFailed: 'cache_read_failed',
  writeFailed: 'cache_write_failed',
  writeSkipped: 'cache_write_skipped',
  // At start-up both mean read-only (accounts loaded, nothing saved) or memory-only; later, a lock
  // timeout is the one error an access throws.
  lockTimeout: 'cache_lock_timeout',
  lockFailed: 'cache_lock_failed',
  plaintextUnsafe: 'cache_plaintext_unsafe',
  // The app's remembered active account (electron/app/active-account-store.ts) could not be saved: the
  // sign-in or switch worked, only the choice will not survive a restart. Shown with the cache warnings.
  activeAccountWriteFailed: 'active_account_write_failed',
} as const;

/** The app's own refusals (electron/app AppError) and the IPC router's. */
export const AppErrorCode = {
  signInInProgress: 'sign_in_in_progress',
  flowDisabled: 'flow_disabled',
  noFlowSucceeded: 'no_flow_succeeded',
  notImplemented: 'not_implemented',
  claimsChallengeRepeated: 'claims_challenge_repeated',
  noDeviceCode: 'no_device_code',
  noAccount: 'no_account',
  invalidDeviceCodeResponse: 'invalid_device_code_response',
  internalError: 'internal_error',
  invalidRequest: 'invalid_request',
  unknownMethod: 'unknown_method',
  untrustedSender: 'untrusted_sender',
} as const;

/** Why the IdP could not be reached, from a socket or TLS error's code (electron/app/views.ts `networkReason`). */
export const NetworkReasonCode = {
  connectionRefused: 'connection_refused',
  hostNotFound: 'host_not_found',
  connectionTimedOut: 'connection_timed_out',
  connectionReset: 'connection_reset',
  tlsFailed: 'tls_failed',
} as const;

type CodeOf<T> = T[keyof T];
export type ClientAuthErrorCode = CodeOf<typeof ClientAuthErrorCode>;
export type NetworkErrorCode = CodeOf<typeof NetworkErrorCode>;
export type ServerErrorCode = CodeOf<typeof ServerErrorCode>;
export type InteractionRequiredErrorCode = CodeOf<typeof InteractionRequiredErrorCode>;
export type UserCancelErrorCode = CodeOf<typeof UserCancelErrorCode>;
export type TimeoutErrorCode = CodeOf<typeof TimeoutErrorCode>;
export type CachePersistenceErrorCode = CodeOf<typeof CachePersistenceErrorCode>;
export type AppErrorCode = CodeOf<typeof AppErrorCode>;
export type NetworkReasonCode = CodeOf<typeof NetworkReasonCode>;

/** Every code the engine's errors carry themselves. */
export type AuthErrorCode =
  | ClientAuthErrorCode
  | NetworkErrorCode
  | ServerErrorCode
  | InteractionRequiredErrorCode
  | UserCancelErrorCode
  | TimeoutErrorCode
  | CachePersistenceErrorCode;

/** Every code this app produces (the IdP's codes are not among them). */
export type ErrorCode = AuthErrorCode | AppErrorCode | NetworkReasonCode;

/**
 * A code the IdP sent (its `error`), bounded and cleaned where it enters the engine. Branded so only
 * that one function makes one: a string literal in our code must be an `ErrorCode`.
 */
export type IdpCode = string & { readonly __idpCode: true };

/** All tables, for the README check and for membership tests. */
export const ERROR_CODE_TABLES = {
  ClientAuthError: ClientAuthErrorCode,
  NetworkError: NetworkErrorCode,
  ServerError: ServerErrorCode,
  InteractionRequiredAuthError: InteractionRequiredErrorCode,
  UserCancelError: UserCancelErrorCode,
  TimeoutError: TimeoutErrorCode,
  CachePersistenceError: CachePersistenceErrorCode,
  AppError: AppErrorCode,
  NetworkReason: NetworkReasonCode,
} as const;
