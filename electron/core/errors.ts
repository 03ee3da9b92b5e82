// Typed errors with stable `code`s, as MSAL has. The UI maps codes to a sentence and an action, so codes
// never change once shipped. No message, field or cause ever holds a token, code, secret or password:
// causes coming from libraries (oauth4webapi attaches whole response bodies) are reduced by `safeCause`.

export type ErrorCode = string;

export class AuthError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: safeCause(options.cause) });
    this.name = new.target.name;
    this.code = code;
  }
}

/** The user must act: consent, MFA, a dead refresh token, no account. `code` is the server's error. */
export class InteractionRequiredAuthError extends AuthError {
  readonly subError: string | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; subError?: string }) {
    super(code, message, options);
    this.subError = options?.subError;
  }
}

/** The IdP answered with an OAuth error. */
export class ServerError extends AuthError {
  readonly errorDescription: string | undefined;
  readonly correlationId: string | undefined;
  readonly status: number | undefined;
  /** Code `throttled`: the moment the server's Retry-After ends; no request is sent before it. */
  readonly retryAfter: Date | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    options?: { cause?: unknown; errorDescription?: string; correlationId?: string; status?: number; retryAfter?: Date },
  ) {
    super(code, message, options);
    this.errorDescription = options?.errorDescription;
    this.correlationId = options?.correlationId;
    this.status = options?.status;
    this.retryAfter = options?.retryAfter;
  }
}

/** Local misuse or a response the client refuses (bad ID token, wrong state, malformed body, ...). */
export class ClientAuthError extends AuthError {}
export class NetworkError extends AuthError {}
export class UserCancelError extends AuthError {
  constructor(message = 'The user or the application cancelled the sign-in', options?: { cause?: unknown }) {
    super('user_cancelled', message, options);
  }
}
/** `timed_out`: an operation's deadline (sign-in, device code); `request_timed_out`: one HTTP request's. */
export class TimeoutError extends AuthError {
  constructor(message = 'The operation timed out', options?: { cause?: unknown; code?: 'timed_out' | 'request_timed_out' }) {
    super(options?.code ?? 'timed_out', message, options);
  }
}
/** The persistence failed; `state` is the persistence's state at that moment (see cache/persistence.ts). */
export class CachePersistenceError extends AuthError {
  readonly state: string | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; state?: string }) {
    super(code, message, options);
    this.state = options?.state;
  }
}

/** Stable ClientAuthError codes (a table the UI and the tests share). */
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
  discoveryFailed: 'discovery_failed',
  /** The device authorization response is unusable or unsafe to show (e.g. a `javascript:` verification URI). */
  invalidDeviceCodeResponse: 'invalid_device_code_response',
} as const;

/** The server-side codes that mean "a user must interact" (MSAL's list). */
export const INTERACTION_REQUIRED_CODES = new Set([
  'interaction_required',
  'login_required',
  'consent_required',
  'invalid_grant',
  'bad_token',
]);

/**
 * Reduce any thrown value to an Error carrying only name, message and code. Library messages are fixed
 * strings; bodies, responses, claims and URLs (which may hold codes or tokens) are dropped. Our own
 * errors are already safe and are kept as they are.
 */
export function safeCause(cause: unknown): unknown {
  if (cause instanceof AuthError) return cause;
  if (cause instanceof Error) {
    const reduced = new Error(redactText(cause.message));
    reduced.name = cause.name;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') (reduced as Error & { code?: string }).code = code;
    return reduced;
  }
  return new Error(typeof cause === 'string' ? redactText(cause) : 'non-error thrown');
}

/** Last line of defence for free text: anything JWT-shaped or long and opaque is masked. */
export function redactText(text: string): string {
  return text
    .replace(/eyJ[\w-]*\.[\w-]*\.?[\w-]*/g, '[redacted-jwt]')
    .replace(/\b(code|refresh_token|access_token|id_token|password|client_secret|device_code|assertion)=([^&\s"]+)/gi, '$1=[redacted]')
    .replace(/[A-Za-z0-9_\-.~+/]{40,}={0,2}/g, '[redacted]');
}
