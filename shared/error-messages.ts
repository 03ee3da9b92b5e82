// Error code → a sentence a person can read and the thing they can do about it. Shared so the
// controller builds ErrorViews with it and the renderer can explain codes it receives on its own.
// Looked up by the IdP's code first (most specific), then our code, then the kind.
import type { ErrorKind, ErrorView } from './views.js';

export interface ErrorExplanation {
  sentence: string;
  suggestedAction: string;
}

const BY_CODE: Record<string, ErrorExplanation> = {
  user_cancelled: { sentence: 'Sign-in was cancelled.', suggestedAction: 'Start the sign-in again when you are ready.' },
  timed_out: { sentence: 'Sign-in took too long and was stopped.', suggestedAction: 'Try again, and finish signing in within 5 minutes.' },
  interaction_required: { sentence: 'The identity provider needs you to sign in again.', suggestedAction: 'Choose "Sign in" to continue interactively.' },
  login_required: { sentence: 'Your session has ended.', suggestedAction: 'Sign in again.' },
  consent_required: { sentence: 'This app needs your permission for the requested access.', suggestedAction: 'Request the token again and accept the consent prompt.' },
  invalid_grant: { sentence: 'Your saved sign-in is no longer valid (expired, revoked or the password changed).', suggestedAction: 'Sign in again to this account.' },
  bad_token: { sentence: 'Your saved sign-in is no longer valid.', suggestedAction: 'Sign in again to this account.' },
  access_denied: { sentence: 'The sign-in was declined.', suggestedAction: 'Sign in again and approve the request, or ask your administrator for access.' },
  expired_token: { sentence: 'The device code expired before sign-in finished.', suggestedAction: 'Start a new device code sign-in.' },
  invalid_scope: { sentence: 'The app asked for a permission the identity provider does not know.', suggestedAction: 'Check the scopes in the app configuration.' },
  invalid_client: { sentence: 'The identity provider does not recognise this app.', suggestedAction: 'Check the client ID and that the app registration allows public client flows.' },
  unauthorized_client: { sentence: 'This app is not allowed to use that sign-in method.', suggestedAction: 'Enable "Allow public client flows" in the app registration, or use another sign-in method.' },
  temporarily_unavailable: { sentence: 'The identity provider is temporarily unavailable.', suggestedAction: 'Wait a moment and try again.' },
  server_error: { sentence: 'The identity provider had an internal error.', suggestedAction: 'Try again; if it persists, share the correlation ID with your administrator.' },
  discovery_failed: { sentence: "The identity provider's configuration could not be loaded.", suggestedAction: 'Check your network connection and the authority URL, then try again.' },
  state_mismatch: { sentence: 'The sign-in response did not match the request and was rejected.', suggestedAction: 'Start the sign-in again.' },
  nonce_mismatch: { sentence: 'The sign-in response did not match the request and was rejected.', suggestedAction: 'Start the sign-in again.' },
  no_account: { sentence: 'That account is not signed in.', suggestedAction: 'Add the account with "Sign in".' },
  sign_in_in_progress: { sentence: 'A sign-in is already in progress.', suggestedAction: 'Finish or cancel it first.' },
  untrusted_sender: { sentence: 'A request came from a page this app does not trust and was refused.', suggestedAction: 'Restart the app.' },
  invalid_request: { sentence: 'The app sent a malformed request.', suggestedAction: 'Restart the app; if it persists, report it.' },
  unknown_method: { sentence: 'The app asked for something it cannot do.', suggestedAction: 'Restart the app; if it persists, report it.' },
  not_implemented: { sentence: 'This action is not available yet.', suggestedAction: 'Update the app.' },
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
  network: { sentence: 'The identity provider could not be reached.', suggestedAction: 'Check your network connection and try again. Accounts already signed in are unaffected.' },
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

export function explainError(kind: ErrorKind, code: string, serverCode?: string): ErrorExplanation {
  return (serverCode !== undefined ? BY_CODE[serverCode] : undefined) ?? BY_CODE[code] ?? BY_KIND[kind];
}

/**
 * Build the ErrorView the renderer receives. `detail` is an optional extra sentence already free of
 * secrets (engine messages are); it is appended to the explanation, never shown instead of it.
 */
export function toErrorView(input: { kind: ErrorKind; code: string; serverCode?: string; correlationId?: string; detail?: string }): ErrorView {
  const { sentence, suggestedAction } = explainError(input.kind, input.code, input.serverCode);
  const detail = input.detail?.trim();
  return {
    kind: input.kind,
    code: input.code,
    message: detail && detail !== sentence ? `${sentence} (${detail})` : sentence,
    suggestedAction,
    ...(input.serverCode !== undefined ? { serverCode: input.serverCode } : {}),
    ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
  };
}
