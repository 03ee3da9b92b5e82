// Error code → a sentence a person can read and the thing they can do about it. Shared so the
// controller builds ErrorViews with it and the renderer can explain codes it receives on its own.
// Looked up by the IdP's code first (most specific), then our code, then the kind. Our codes' table is
// keyed by the ErrorCode union (shared/error-codes.ts), so a misspelt or retired code is a type error;
// the IdP's codes are strings in a table of their own. Codes come from the wire and the IdP, so the
// tables are read by own key only (`constructor` or `__proto__` must find nothing), and
// everything that goes into a view is cut to the view's limits.
import type { ErrorCode } from './error-codes.js';
import { ERROR_VIEW_LIMITS } from './error-view-limits.js';
import type { ErrorKind, ErrorView } from './views.js';

export interface ErrorExplanation {
  sentence: string;
  suggestedAction: string;
}

/** Our own codes: keyed by the union, so a misspelt code here is a type error. */
const BY_CODE: Readonly<Partial<Record<ErrorCode, ErrorExplanation>>> = {
  user_cancelled: { sentence: 'Sign-in was cancelled.', suggestedAction: 'Start the sign-in again when you are ready.' },
  timed_out: { sentence: 'Sign-in took too long and was stopped.', suggestedAction: 'Start the sign-in again.' },
  loopback_port_unavailable: {
    sentence: 'Another program is using the sign-in redirect port, and this identity provider accepts no other.',
    suggestedAction: 'Close the program using that port (or change loopbackPort in the configuration and the app registration), then sign in again.',
  },
  interaction_required: { sentence: 'The identity provider needs you to sign in again.', suggestedAction: 'Choose "Sign in" to continue interactively.' },
  expired_token: { sentence: 'The device code expired before sign-in finished.', suggestedAction: 'Get a new code and enter it on the other device.' },
  // Why the identity provider could not be reached (the network error's own cause code, see electron/app/views.ts).
  connection_refused: {
    sentence: 'The identity provider refused the connection: it may be down or restarting.',
    suggestedAction: 'Your network reached it, so there is nothing to fix on this computer; the app tries again by itself. Cached tokens keep working until they expire.',
  },
  host_not_found: {
    sentence: "The identity provider's address could not be found.",
    suggestedAction: 'Check your network connection (or the authority URL); the app tries again by itself. Cached tokens keep working until they expire.',
  },
  connection_timed_out: {
    sentence: 'The identity provider did not answer in time.',
    suggestedAction: 'Check your network connection; the app tries again by itself. Cached tokens keep working until they expire.',
  },
  connection_reset: {
    sentence: 'The connection to the identity provider was cut.',
    suggestedAction: 'The app tries again by itself. Cached tokens keep working until they expire.',
  },
  tls_failed: {
    sentence: "The identity provider's certificate was not accepted.",
    suggestedAction: 'A proxy or the server may be presenting the wrong certificate; ask your administrator. Cached tokens keep working until they expire.',
  },
  discovery_failed: { sentence: "The identity provider's configuration could not be loaded.", suggestedAction: 'Check your network connection and the authority URL, then try again.' },
  state_mismatch: { sentence: 'The sign-in response did not match the request and was rejected.', suggestedAction: 'Start the sign-in again.' },
  nonce_mismatch: { sentence: 'The sign-in response did not match the request and was rejected.', suggestedAction: 'Start the sign-in again.' },
  navigation_blocked: {
    sentence: 'The sign-in page tried to open an address this app does not allow, so the sign-in was stopped.',
    suggestedAction: 'Try again. If it happens every time, tell your administrator: every sign-in page must be an https address.',
  },
  no_account: { sentence: 'That account is not signed in.', suggestedAction: 'Add the account with "Sign in".' },
  sign_in_in_progress: { sentence: 'A sign-in is already in progress.', suggestedAction: 'Finish or cancel it first.' },
  untrusted_sender: { sentence: 'A request came from a page this app does not trust and was refused.', suggestedAction: 'Restart the app.' },
  invalid_request: { sentence: 'The app sent a malformed request.', suggestedAction: 'Restart the app; if it persists, report it.' },
  unknown_method: { sentence: 'The app asked for something it cannot do.', suggestedAction: 'Restart the app; if it persists, report it.' },
  not_implemented: { sentence: 'This action is not available yet.', suggestedAction: 'Update the app.' },
  invalid_device_code_response: {
    sentence: 'The identity provider sent a device code sign-in that is not safe to show (for example, its sign-in address is not a secure web page).',
    suggestedAction: 'Sign in another way, and check the authority in the app configuration.',
  },
  throttled: { sentence: 'The identity provider asked this app to wait before trying again.', suggestedAction: 'Try again after the time shown; until then the app sends it no requests.' },
  request_timed_out: { sentence: 'The identity provider did not answer in time.', suggestedAction: 'Check your network connection (and proxy), then try again.' },
  proxy_unreachable: { sentence: 'The proxy server could not be reached.', suggestedAction: 'Check the proxy settings (system, HTTPS_PROXY) and that the proxy is running.' },
  proxy_refused: { sentence: 'The proxy server refused to connect to the identity provider.', suggestedAction: 'Ask your administrator to allow the identity provider through the proxy.' },
  proxy_unsupported: { sentence: 'The system proxy is of a kind this app cannot use (SOCKS).', suggestedAction: 'Configure an HTTP(S) proxy, or set HTTPS_PROXY.' },
};

/** The IdP's codes (OAuth's and Entra's): strings from the wire, so keyed by string. */
const BY_SERVER_CODE: Readonly<Record<string, ErrorExplanation>> = {
  login_required: { sentence: 'Your session has ended.', suggestedAction: 'Sign in again.' },
  consent_required: { sentence: 'This app needs your permission for the requested access.', suggestedAction: 'Request the token again and accept the consent prompt.' },
  invalid_grant: { sentence: 'Your saved sign-in is no longer valid (expired, revoked or the password changed).', suggestedAction: 'Sign in again to this account.' },
  bad_token: { sentence: 'Your saved sign-in is no longer valid.', suggestedAction: 'Sign in again to this account.' },
  access_denied: { sentence: 'The sign-in was declined.', suggestedAction: 'Sign in again and approve the request, or ask your administrator for access.' },
  invalid_scope: { sentence: 'The app asked for a permission the identity provider does not know.', suggestedAction: 'Check the scopes in the app configuration.' },
  invalid_client: { sentence: 'The identity provider does not recognise this app.', suggestedAction: 'Check the client ID and that the app registration allows public client flows.' },
  unauthorized_client: { sentence: 'This app is not allowed to use that sign-in method.', suggestedAction: 'Enable "Allow public client flows" in the app registration, or use another sign-in method.' },
  temporarily_unavailable: { sentence: 'The identity provider is temporarily unavailable.', suggestedAction: 'Wait a moment and try again.' },
  server_error: { sentence: 'The identity provider had an internal error.', suggestedAction: 'Try again; if it persists, share the correlation ID with your administrator.' },
  // Microsoft Entra ID's AADSTS codes that people actually hit.
  AADSTS50076: { sentence: 'Your organisation requires multi-factor authentication.', suggestedAction: 'Sign in interactively to complete MFA.' },
  AADSTS50079: { sentence: 'You need to register for multi-factor authentication.', suggestedAction: 'Sign in interactively to set up MFA.' },
  AADSTS65001: { sentence: 'This app needs your permission for the requested access.', suggestedAction: 'Sign in interactively and accept the consent prompt.' },
  AADSTS50126: { sentence: 'The username or password is incorrect.', suggestedAction: 'Check your credentials and try again.' },
  AADSTS700016: { sentence: 'The app is not registered in this tenant.', suggestedAction: 'Check the client ID and authority in the configuration.' },
  AADSTS70016: { sentence: 'Still waiting for you to finish signing in on the other device.', suggestedAction: 'Enter the code on the other device.' },
};

const BY_KIND: Record<ErrorKind, ErrorExplanation> = {
  interaction_required: BY_CODE.interaction_required!,
  server: { sentence: 'The identity provider returned an error.', suggestedAction: 'Try again; if it persists, share the correlation ID with your administrator.' },
  client: { sentence: 'The response from the identity provider was rejected as unsafe or malformed.', suggestedAction: 'Try again; if it persists, check the authority configuration.' },
  network: { sentence: 'The identity provider could not be reached.', suggestedAction: 'Check your network connection; the app tries again by itself. Cached tokens keep working until they expire.' },
  cancelled: BY_CODE.user_cancelled!,
  timeout: BY_CODE.timed_out!,
  persistence: { sentence: 'Your sign-in could not be saved securely on this computer.', suggestedAction: 'You stay signed in until the app closes. Check that the system keychain is available.' },
  invalid_request: BY_CODE.invalid_request!,
  forbidden: BY_CODE.untrusted_sender!,
  not_implemented: BY_CODE.not_implemented!,
  internal: { sentence: 'Something went wrong inside the app.', suggestedAction: 'Try again; if it persists, restart the app.' },
};

/** AADSTS codes arrive inside descriptions as "AADSTS50076: ..."; take the number part. */
export function extractAadstsCode(text: string | undefined): string | undefined {
  return text ? /\bAADSTS\d{5,6}\b/.exec(text)?.[0] : undefined;
}

/** A table's entry for `key`, by own property only: `constructor` or `__proto__` find nothing. */
function own<T>(table: Readonly<Partial<Record<string, T>>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/**
 * Codes arrive as strings (from the wire, or the IdP's own in `code` of a ServerError), so the lookup
 * takes `string` and checks membership itself. The IdP's code first (most specific), then ours, then the
 * IdP table for a server error whose `code` is the IdP's, then the kind.
 */
export function explainError(kind: ErrorKind, code: string, serverCode?: string): ErrorExplanation {
  return (
    own(BY_SERVER_CODE, serverCode) ??
    own<ErrorExplanation>(BY_CODE, serverCode) ??
    own<ErrorExplanation>(BY_CODE, code) ??
    own(BY_SERVER_CODE, code) ??
    (Object.hasOwn(BY_KIND, kind) ? BY_KIND[kind] : BY_KIND.internal)
  );
}

/** `detail` is context for the sentence, not a page: short enough that "Sign-in failed: <message>" fits an activity entry. */
export const DETAIL_MAX = 600;

/** At most `max` characters, an ellipsis marking the cut; a surrogate pair is never split. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Build the ErrorView the renderer receives. `detail` is an optional extra sentence already free of
 * secrets (engine messages are); it is appended to the explanation, never shown instead of it.
 */
export function toErrorView(input: { kind: ErrorKind; code: string; serverCode?: string; correlationId?: string; detail?: string }): ErrorView {
  const { sentence, suggestedAction } = explainError(input.kind, input.code, input.serverCode);
  const detail = input.detail === undefined ? undefined : truncate(input.detail.trim(), DETAIL_MAX);
  return {
    kind: input.kind,
    code: truncate(input.code, ERROR_VIEW_LIMITS.code),
    message: detail && detail !== sentence ? `${sentence} (${detail})` : sentence,
    suggestedAction,
    ...(input.serverCode !== undefined ? { serverCode: truncate(input.serverCode, ERROR_VIEW_LIMITS.serverCode) } : {}),
    ...(input.correlationId !== undefined ? { correlationId: truncate(input.correlationId, ERROR_VIEW_LIMITS.correlationId) } : {}),
  };
}

/**
 * A would-be ErrorView with each string field cut to the view's limit (other values are left for the
 * schema to refuse). Only the view's own fields are copied, read once each.
 */
export function truncateErrorView(view: unknown): unknown {
  if (typeof view !== 'object' || view === null) return view;
  const input = view as Record<string, unknown>;
  const out: Record<string, unknown> = { kind: input.kind };
  for (const [key, max] of Object.entries(ERROR_VIEW_LIMITS)) {
    const value = input[key];
    if (value !== undefined) out[key] = typeof value === 'string' ? truncate(value, max) : value;
  }
  return out;
}
