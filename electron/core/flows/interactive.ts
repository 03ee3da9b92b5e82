// acquireTokenInteractive: authorization code + PKCE (S256) + state + nonce with a loopback redirect
// (RFC 8252). The browser is whatever the host's `openBrowser` opens; the engine only builds the URL,
// receives one redirect, checks state, and redeems the code through the shared response path.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C, UserCancelError } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { newCorrelationId, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import { startLoopback } from './loopback.js';
import { ScopeSet } from '../scopes.js';
import type { AuthenticationResult, InteractiveRequest } from '../types.js';

export const DEFAULT_INTERACTIVE_TIMEOUT_MS = 5 * 60_000;

export async function acquireTokenInteractive(ctx: EngineContext, request: InteractiveRequest): Promise<AuthenticationResult> {
  if (typeof request.openBrowser !== 'function') throw new ClientAuthError(C.invalidArgument, 'openBrowser is required');
  if (request.signal?.aborted) throw new UserCancelError('The sign-in was cancelled before it started');
  const correlationId = newCorrelationId(request.correlationId);
  const scopes = ScopeSet.from(request.scopes);
  const as = await ctx.authority.metadata();
  const client = oauthClient(ctx);

  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();

  const loopback = await startLoopback({
    preferredPort: request.preferredPort,
    timeoutMs: request.timeoutMs ?? DEFAULT_INTERACTIVE_TIMEOUT_MS,
    signal: request.signal,
    describe: (p) => {
      if (p.get('state') !== state) return { ok: false, title: 'Sign-in not accepted', detail: 'This response does not belong to the sign-in the app started. Return to the app and try again.' };
      if (p.has('error')) return { ok: false, title: 'Sign-in failed', detail: `The identity provider reported: ${p.get('error')}. Return to the app for details.` };
      return { ok: true, title: 'You are signed in', detail: 'You can close this window and return to the app.' };
    },
  });
  try {
    const url = new URL(as.authorization_endpoint as string);
    const params: Record<string, string | undefined> = {
      client_id: ctx.clientId,
      response_type: 'code',
      redirect_uri: loopback.redirectUri,
      scope: scopes.forRequest().toString(),
      code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      response_mode: 'query',
      prompt: request.prompt,
      login_hint: request.loginHint,
      domain_hint: ctx.authority.protocolMode === 'entra' ? request.domainHint : undefined,
      claims: request.claims,
      ...protocolParams(ctx),
    };
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);

    ctx.logger.log('info', 'Interactive sign-in started', { correlationId, redirectUri: loopback.redirectUri });
    // Not awaited to completion: a test's openBrowser may only return once the redirect page loaded.
    Promise.resolve()
      .then(() => request.openBrowser(url.href))
      .catch((err: unknown) => loopback.fail(new ClientAuthError('browser_open_failed', 'The browser could not be opened', { cause: err })));

    const redirect = await loopback.result;
    let callbackParams: URLSearchParams;
    try {
      callbackParams = oauth.validateAuthResponse(as, client, redirect, state);
    } catch (err) {
      throw mapProtocolError(err, 'authorize');
    }
    let response: Response;
    try {
      response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callbackParams, loopback.redirectUri, codeVerifier, {
        ...requestOptions(ctx, correlationId, request.signal),
        additionalParameters: protocolParams(ctx),
      });
    } catch (err) {
      if (request.signal?.aborted) throw new UserCancelError('The sign-in was cancelled', { cause: err });
      throw mapProtocolError(err, 'token');
    }
    return await handleTokenResponse(ctx, response, { kind: 'authorization_code', source: 'interactive', requestedScopes: scopes, correlationId, nonce });
  } finally {
    await loopback.close();
  }
}
