// acquireTokenByIntegratedWindowsAuth: the interactive flow's authorization request (PKCE, state,
// nonce), walked with no window by the headless walker, which answers the IdP's Negotiate challenge with
// a SPNEGO token from the machine's Kerberos ticket (SSPI on Windows, GSSAPI elsewhere). The loopback
// redirect URI is only where the walk stops: nothing listens on it.
//
// IWA is tried before any UI, so it must fail fast and quietly: every failure is an
// InteractionRequiredAuthError within `timeoutMs` (5 s by default), and the app moves on to a window.
import { AuthError, InteractionRequiredAuthError, UserCancelError } from '../errors.js';
import { newCorrelationId, type EngineContext } from '../engine-context.js';
import { runHeadlessAuthorization } from '../iwa/headless-authorization.js';
import { kerberosSpnego, type SpnegoProvider } from '../iwa/spnego.js';
import { ScopeSet } from '../scopes.js';
import type { AuthenticationResult, IntegratedWindowsAuthRequest } from '../types.js';
import { buildAuthorizationRequest, redeemAuthorizationCode } from './authorization-request.js';

export const DEFAULT_IWA_TIMEOUT_MS = 5_000;

/** Registered for the desktop client like any loopback URI; never contacted. */
export const IWA_REDIRECT_URI = 'http://127.0.0.1/';

/** `alice@contoso.com` → `contoso.com`: Entra's domain_hint sends the request straight to the federated IdP. */
export function domainHintOf(username: string | undefined): string | undefined {
  const at = username?.lastIndexOf('@') ?? -1;
  return at > 0 && at < username!.length - 1 ? username!.slice(at + 1) : undefined;
}

export async function acquireTokenByIntegratedWindowsAuth(
  ctx: EngineContext,
  request: IntegratedWindowsAuthRequest,
  spnego: SpnegoProvider = kerberosSpnego,
): Promise<AuthenticationResult> {
  if (request.signal?.aborted) throw new UserCancelError('The sign-in was cancelled before it started');
  const correlationId = newCorrelationId(request.correlationId);
  const timeoutMs = request.timeoutMs ?? DEFAULT_IWA_TIMEOUT_MS;
  const timeout = new AbortController();
  const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
  const timer = setTimeout(
    () => timeout.abort(new InteractionRequiredAuthError('iwa_timed_out', `Integrated Windows Authentication took more than ${timeoutMs} ms`)),
    timeoutMs,
  );
  // A race and not only the signal: the Kerberos call is native and cannot be aborted (a KDC that
  // does not answer holds it for libkrb5's own timeout), and the caller must get its answer now.
  const stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

  ctx.logger.log('info', 'Integrated Windows Authentication started', { correlationId });
  try {
    return await Promise.race([run(ctx, request, spnego, correlationId, signal), stopped]);
  } catch (error) {
    throw asInteractionRequired(error, request.signal);
  } finally {
    clearTimeout(timer);
  }
}

async function run(
  ctx: EngineContext,
  request: IntegratedWindowsAuthRequest,
  spnego: SpnegoProvider,
  correlationId: string,
  signal: AbortSignal,
): Promise<AuthenticationResult> {
  const pending = await buildAuthorizationRequest(ctx, {
    scopes: ScopeSet.from(request.scopes),
    redirectUri: IWA_REDIRECT_URI,
    loginHint: request.username,
    domainHint: domainHintOf(request.username),
    claims: request.claims,
  });
  const redirect = await runHeadlessAuthorization(pending.url, { fetch: ctx.fetch, redirectUri: IWA_REDIRECT_URI, spnego, signal });
  return redeemAuthorizationCode(ctx, pending, redirect, { correlationId, source: 'iwa', signal });
}

/**
 * The caller's cancel stays a cancel (the app must not go on to another flow); everything else means
 * "IWA cannot do it here", keeping the original code (consent_required, state_mismatch, …) for the UI.
 */
function asInteractionRequired(error: unknown, callerSignal: AbortSignal | undefined): AuthError {
  if (callerSignal?.aborted) {
    return error instanceof UserCancelError ? error : new UserCancelError('The sign-in was cancelled', { cause: error });
  }
  if (error instanceof InteractionRequiredAuthError) return error;
  const code = error instanceof AuthError ? error.code : 'iwa_failed';
  const message = error instanceof AuthError ? error.message : 'Integrated Windows Authentication failed';
  return new InteractionRequiredAuthError(code, `Integrated Windows Authentication failed: ${message}`, { cause: error });
}
