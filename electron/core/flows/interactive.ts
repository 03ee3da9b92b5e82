// acquireTokenInteractive: authorization code + PKCE (S256) + state + nonce with a loopback redirect
// (RFC 8252). The browser is whatever the host's `openBrowser` opens; the engine only builds the URL,
// receives the one redirect carrying its state, and redeems the code through the shared response path.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C, UserCancelError } from '../errors.js';
import { newCorrelationId, type EngineContext } from '../engine-context.js';
import { buildAuthorizationRequest, redeemAuthorizationCode } from './authorization-request.js';
import { startLoopback } from './loopback.js';
import { ScopeSet } from '../scopes.js';
import type { AuthenticationResult, InteractiveRequest } from '../types.js';

export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 5 * 60_000;

export async function acquireTokenInteractive(ctx: EngineContext, request: InteractiveRequest): Promise<AuthenticationResult> {
  if (typeof request.openBrowser !== 'function') throw new ClientAuthError(C.invalidArgument, 'openBrowser is required');
  if (request.signal?.aborted) throw new UserCancelError('The sign-in was cancelled before it started');
  const correlationId = newCorrelationId(request.correlationId);
  const scopes = ScopeSet.from(request.scopes);
  await ctx.authority.metadata(); // discovery failures surface before a listener is opened
  // The state exists before the listener does: the listener settles only on a redirect carrying it,
  // so another local process's request cannot end (or fake the end of) this sign-in.
  const state = oauth.generateRandomState();

  const loopback = await startLoopback({
    preferredPort: request.preferredPort,
    strictPort: request.strictPort,
    timeoutMs: request.timeoutMs ?? DEFAULT_INTERACTIVE_TIMEOUT_MS,
    signal: request.signal,
    expectedState: state,
  });
  try {
    const pending = await buildAuthorizationRequest(ctx, {
      scopes,
      redirectUri: loopback.redirectUri,
      state,
      prompt: request.prompt,
      loginHint: request.loginHint,
      domainHint: request.domainHint,
      claims: request.claims,
    });

    ctx.logger.log('info', 'Interactive sign-in started', { correlationId, redirectUri: loopback.redirectUri });
    // Not awaited to completion: a test's openBrowser may only return once the redirect page loaded.
    Promise.resolve()
      .then(() => request.openBrowser(pending.url.href))
      .catch((err: unknown) => loopback.fail(new ClientAuthError('browser_open_failed', 'The browser could not be opened', { cause: err })));

    const redirect = await loopback.result;
    return await redeemAuthorizationCode(ctx, pending, redirect, { correlationId, source: 'interactive', signal: request.signal });
  } finally {
    await loopback.close();
  }
}
