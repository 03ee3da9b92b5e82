// Typed errors with stable `code`s, as MSAL has. The UI maps codes to a sentence and an action, so codes
// never change once shipped. No message, field or cause ever holds a token, code, secret or password:
// causes coming from libraries (oauth4webapi attaches whole response bodies) are reduced by `safeCause`.

import type {
  AuthErrorCode,
  CachePersistenceErrorCode,
  ClientAuthErrorCode,
  IdpCode,
  NetworkErrorCode,
  ServerErrorCode,
  TimeoutErrorCode,
  UserCancelErrorCode,
} from '../../shared/error-codes.js';

// The tables live in shared/ (the renderer explains codes too); the engine re-exports them.
export {
  ClientAuthErrorCode,
  NetworkErrorCode,
  ServerErrorCode,
  InteractionRequiredErrorCode,
  TimeoutErrorCode,
  UserCancelErrorCode,
  CachePersistenceErrorCode,
  ERROR_CODE_TABLES,
  type AuthErrorCode,
  type ErrorCode,
  type IdpCode,
} from '../../shared/error-codes.js';

export class AuthError extends Error {
  /** One of the tables' codes, or (ServerError, InteractionRequiredAuthError) the IdP's own code. */
  readonly code: AuthErrorCode | IdpCode;
  protected constructor(code: AuthErrorCode | IdpCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: safeCause(options.cause) });
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The user must act: consent, MFA, a dead refresh token, no account. `code` is the IdP's error, one of
 * ours (InteractionRequiredErrorCode), or, when another error is rewrapped (IWA), that error's code.
 */
export class InteractionRequiredAuthError extends AuthError {
  readonly subError: string | undefined;
  constructor(code: AuthErrorCode | IdpCode, message: string, options?: { cause?: unknown; subError?: string }) {
    super(code, message, options);
    this.subError = options?.subError;
  }
}

/** The IdP answered with an OAuth error (`code` is its own, an IdpCode) or unusably (ServerErrorCode). */
export class ServerError extends AuthError {
  readonly errorDescription: string | undefined;
  readonly correlationId: string | undefined;
  readonly status: number | undefined;
  /** Code `throttled`: the moment the server's Retry-After ends; no request is sent before it. */
  readonly retryAfter: Date | undefined;
  constructor(
    code: ServerErrorCode | IdpCode,
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
export class ClientAuthError extends AuthError {
  declare readonly code: ClientAuthErrorCode;
  constructor(code: ClientAuthErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
export class NetworkError extends AuthError {
  declare readonly code: NetworkErrorCode;
  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
export class UserCancelError extends AuthError {
  declare readonly code: UserCancelErrorCode;
  constructor(message = 'The user or the application cancelled the sign-in', options?: { cause?: unknown }) {
    super('user_cancelled', message, options);
  }
}
/** `timed_out`: an operation's deadline (sign-in, device code); `request_timed_out`: one HTTP request's. */
export class TimeoutError extends AuthError {
  declare readonly code: TimeoutErrorCode;
  constructor(message = 'The operation timed out', options?: { cause?: unknown; code?: TimeoutErrorCode }) {
    super(options?.code ?? 'timed_out', message, options);
  }
}
/** The persistence failed; `state` is the persistence's state at that moment (see cache/persistence.ts). */
export class CachePersistenceError extends AuthError {
  declare readonly code: CachePersistenceErrorCode;
  readonly state: string | undefined;
  constructor(code: CachePersistenceErrorCode, message: string, options?: { cause?: unknown; state?: string }) {
    super(code, message, options);
    this.state = options?.state;
  }
}

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
