// A token request for one API that failed for a reason other than the network or a cancel: framed as
// what happened to that API (not as a failed sign-in), that everything else is unaffected, and what
// to do. The provider's raw text stays out of the headline (it goes in the details).
import { explainError } from '../../shared/error-messages.js';
import type { ErrorView } from '../../shared/views.js';

export interface TokenFailure {
  /** The configured API's label, or the scopes typed by the user. */
  target: string;
  /** True when the user typed the scopes (then a bad scope is theirs, not the configuration's). */
  custom: boolean;
  scopes: string[];
  error: ErrorView;
}

const DECLINED = new Set(['access_denied', 'consent_required', 'AADSTS65001', 'AADSTS65004']);

export function describeTokenFailure(failure: TokenFailure): { headline: string; action: string } {
  const { error, target, custom } = failure;
  const code = error.serverCode ?? error.code;
  if (code === 'access_denied' || code === 'AADSTS65004') {
    return { headline: `Access to ${target} was declined.`, action: `Your sign-in and your other tokens are unaffected. Choose “Ask again” to see the consent prompt for ${target} once more.` };
  }
  if (DECLINED.has(code)) {
    return { headline: `${target} needs your consent.`, action: `Your sign-in and your other tokens are unaffected. Choose “Ask again” and accept the prompt.` };
  }
  if (code === 'invalid_scope') {
    return custom
      ? { headline: `The identity provider does not know the scope you typed (${failure.scopes.join(' ')}).`, action: 'Check the spelling and the API’s Application ID URI. Your other tokens are unaffected.' }
      : { headline: `The identity provider does not know ${target}’s scopes.`, action: `Check the scopes configured for ${target}. Your other tokens are unaffected.` };
  }
  const { sentence, suggestedAction } = explainError(error.kind, error.code, error.serverCode);
  return { headline: `No token for ${target}: ${sentence}`, action: `${suggestedAction} Your other tokens are unaffected.` };
}
