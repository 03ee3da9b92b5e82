// One place that turns what oauth4webapi, jose and the network throw into our typed errors. The
// library errors carry whole response bodies and claims in `cause`; only their fixed messages and
// codes survive (errors.ts `safeCause`), so no token ever reaches an error the UI or a log sees.
import * as oauth from 'oauth4webapi';
import {
  AuthError,
  redactText,
  ClientAuthError,
  ClientAuthErrorCode as C,
  INTERACTION_REQUIRED_CODES,
  InteractionRequiredAuthError,
  NetworkError,
  ServerError,
  type ClientAuthErrorCode,
  type IdpCode,
} from './errors.js';

export type ProtocolStep = 'discovery' | 'token' | 'authorize' | 'device_authorization' | 'jwks';

/** What the caller observed itself: `bodyWasJson`, the response body parsed as JSON (so a parse error is in the ID token). */
export interface ProtocolFacts {
  bodyWasJson?: boolean;
}

export function mapProtocolError(err: unknown, step: ProtocolStep, facts: ProtocolFacts = {}): AuthError {
  if (err instanceof AuthError) return err;
  if (err instanceof oauth.ResponseBodyError) {
    const body = (err.cause ?? {}) as Record<string, unknown>;
    const code = idpCode(err.error);
    const correlationId = idpIdentifier(body.correlation_id) ?? idpIdentifier(err.response.headers.get('client-request-id')) ?? idpIdentifier(err.response.headers.get('x-ms-request-id'));
    const description = redactedDescription(err.error_description);
    const message = `The identity provider returned ${code}${description ? `: ${description}` : ''}`;
    if (INTERACTION_REQUIRED_CODES.has(code)) {
      return new InteractionRequiredAuthError(code, message, { cause: err, ...opt('subError', idpSubError(body.suberror)) });
    }
    return new ServerError(code, message, {
      cause: err,
      status: err.status,
      ...opt('errorDescription', description),
      ...opt('correlationId', correlationId),
    });
  }
  if (err instanceof oauth.AuthorizationResponseError) {
    const code = idpCode(err.error);
    const description = redactedDescription(err.error_description);
    const message = `The identity provider returned ${code}${description ? `: ${description}` : ''}`;
    if (INTERACTION_REQUIRED_CODES.has(code)) return new InteractionRequiredAuthError(code, message, { cause: err });
    return new ServerError(code, message, { cause: err, ...opt('errorDescription', description) });
  }
  if (err instanceof oauth.WWWAuthenticateChallengeError) {
    return new ServerError('www_authenticate_challenge', 'The identity provider answered with an authentication challenge', {
      cause: err,
      status: err.status,
    });
  }
  if (err instanceof oauth.OperationProcessingError) {
    // By `code` and the structured `cause` oauth4webapi documents for each check, never by message.
    const cause = (typeof err.cause === 'object' && err.cause !== null ? err.cause : {}) as OpeCause;
    switch (err.code) {
      case oauth.PARSE_ERROR:
        // The body parsed as JSON, so what did not parse is the ID token inside it.
        if (facts.bodyWasJson) return new ClientAuthError(C.idTokenMalformed, 'The ID token is malformed', { cause: err });
        return new ClientAuthError(C.invalidJson, `The ${step} response is not valid JSON`, { cause: err });
      case oauth.RESPONSE_IS_NOT_JSON:
        return new ClientAuthError(C.invalidJson, `The ${step} response is not valid JSON`, { cause: err });
      case oauth.RESPONSE_IS_NOT_CONFORM:
        return new ServerError('unexpected_response', `The ${step} endpoint answered with an unexpected HTTP status`, {
          cause: err,
          // The cause is the Response (undici's own class, so no instanceof against the global one).
          ...opt('status', typeof (err.cause as { status?: unknown } | undefined)?.status === 'number' ? (err.cause as { status: number }).status : undefined),
        });
      case oauth.JWT_CLAIM_COMPARISON:
        if (cause.claim === 'iss') return new ClientAuthError(C.idTokenIssuer, 'The ID token was issued by an unexpected issuer', { cause: err });
        if (cause.claim === 'aud' || cause.claim === 'azp')
          return new ClientAuthError(C.idTokenAudience, 'The ID token was issued for another client', { cause: err });
        if (cause.claim === 'nonce') return new ClientAuthError(C.nonceMismatch, 'The ID token nonce does not match the request', { cause: err });
        break;
      case oauth.JWT_TIMESTAMP_CHECK:
        if (cause.claim === 'exp') return new ClientAuthError(C.idTokenExpired, 'The ID token has expired', { cause: err });
        return new ClientAuthError(C.idTokenNotYetValid, 'The ID token is not valid yet', { cause: err });
      case oauth.JSON_ATTRIBUTE_COMPARISON:
        if (cause.attribute === 'issuer') return new ClientAuthError(C.discoveryFailed, "The authority's metadata names another issuer", { cause: err });
        break;
      case oauth.INVALID_RESPONSE: {
        const refused = invalidResponseCode(step, err.cause, cause);
        if (refused) return new ClientAuthError(refused.code, refused.message, { cause: err });
        break;
      }
    }
    return new ClientAuthError(C.invalidResponse, `The ${step} response was not accepted: ${err.message}`, { cause: err });
  }
  if (err instanceof oauth.UnsupportedOperationError) {
    return new ClientAuthError(C.invalidResponse, `The ${step} response uses an unsupported feature: ${err.message}`, { cause: err });
  }
  // A URL in a response that does not parse (e.g. a discovery `issuer`): Node's TypeError says so by code.
  if (err instanceof TypeError && (err as { code?: unknown }).code === 'ERR_INVALID_URL') {
    return step === 'discovery'
      ? new ClientAuthError(C.discoveryFailed, "The authority's metadata names an issuer that is not a URL", { cause: err })
      : new ClientAuthError(C.invalidResponse, `The ${step} response holds a malformed URL`, { cause: err });
  }
  if (err instanceof TypeError) return new NetworkError('network_error', `The ${step} request failed`, { cause: err });
  return new ClientAuthError(C.invalidResponse, `The ${step} step failed`, { cause: err });
}

/** The fields of oauth4webapi's `OperationProcessingError.cause` that tell its checks apart. */
interface OpeCause {
  claim?: unknown;
  attribute?: unknown;
  body?: unknown;
  claims?: unknown;
  header?: unknown;
  reason?: unknown;
  expected?: unknown;
  parameters?: unknown;
}

/**
 * oauth4webapi's INVALID_RESPONSE covers many checks; each attaches a different cause: `{ body }` for a
 * response's fields (a token response's `access_token` among them), `{ header, expected, reason }` for a JWT `alg` not allowed, `{ claims }` or
 * the JWT itself for a malformed ID token, `{ expected, parameters }` for the redirect's `iss` and
 * `state`. Our `state` is random base64url, never a URL; the expected `iss` always is one.
 */
function invalidResponseCode(step: ProtocolStep, raw: unknown, cause: OpeCause): { code: ClientAuthErrorCode; message: string } | undefined {
  if (typeof raw === 'string') return { code: C.idTokenMalformed, message: 'The ID token is malformed' };
  if (cause.header !== undefined && cause.reason !== undefined) {
    return { code: C.idTokenAlg, message: 'The ID token is signed with an algorithm that is not accepted' };
  }
  if (cause.claims !== undefined) return { code: C.idTokenMalformed, message: 'The ID token is malformed' };
  if (step === 'token' && typeof cause.body === 'object' && cause.body !== null) {
    const token = (cause.body as { access_token?: unknown }).access_token;
    if (typeof token !== 'string' || token === '') return { code: C.missingAccessToken, message: 'The token response has no access token' };
    return undefined;
  }
  if (cause.parameters instanceof URLSearchParams && 'expected' in cause) {
    const expectedIsIssuer = typeof cause.expected === 'string' && URL.canParse(cause.expected);
    if (!expectedIsIssuer) return { code: C.stateMismatch, message: 'The redirect did not carry the expected state' };
  }
  return undefined;
}

// What the IdP says in an error is attacker-controlled text that ends up in messages, views and logs.
// It is bounded here, where it enters the engine (and again in the view), so a hostile or broken
// server's 200 KB `error` never reaches a message, a log line or IPC. `error_uri` is never kept at all.
export const IDP_TEXT_LIMITS = { code: 64, description: 300, identifier: 128 } as const;

/** Control characters (and the line breaks among them) have no place in a one-line error. */
const oneLine = (text: string): string => text.replace(/\p{Cc}+/gu, ' ').trim();

/**
 * The IdP's `error`: RFC 6749 §5.2 allows printable ASCII without `"` and `\`, and real codes are single
 * short words. Other characters (spaces too) are removed and the rest cut to 64; nothing left is
 * `server_error`. Cut first, so a huge value costs nothing.
 */
export function idpCode(v: unknown): IdpCode {
  const code = typeof v === 'string' ? v.slice(0, 4 * IDP_TEXT_LIMITS.code).replace(/[^\x21\x23-\x5B\x5D-\x7E]+/g, '').slice(0, IDP_TEXT_LIMITS.code) : '';
  // The one place an IdpCode is made: the brand says "bounded, cleaned, and not one of our codes".
  return (code || 'server_error') as IdpCode;
}
/** Entra's `suberror` (`consent_required`, `bad_token`, ...): a code too; absent when empty. */
const idpSubError = (v: unknown): string | undefined => (typeof v === 'string' && v ? idpCode(v) : undefined);

/** Correlation and request ids are GUIDs in practice: one line, at most 128 characters. */
export function idpIdentifier(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const id = oneLine(v.slice(0, IDP_TEXT_LIMITS.identifier));
  return id || undefined;
}

/** The IdP's own words, shortened and redacted: a hostile server could echo a token in them. */
function redactedDescription(v: unknown): string | undefined {
  const text = typeof v === 'string' ? oneLine(v.slice(0, IDP_TEXT_LIMITS.description)) : '';
  return text ? redactText(text) : undefined;
}
/** Optional fields without `undefined` values. */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
