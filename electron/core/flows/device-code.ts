// acquireTokenByDeviceCode (RFC 8628): show the code through the callback, then poll the token
// endpoint every `interval` seconds; `slow_down` adds 5 s (§3.5), `authorization_pending` keeps
// polling, `access_denied` and `expired_token` end the flow with the server's code. Cancellable at any
// moment through the signal; a timeout (default: the code's own lifetime) ends it too.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C, ServerError, TimeoutError, UserCancelError } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { newCorrelationId, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import { ScopeSet } from '../scopes.js';
import { sleep } from './abortable-sleep.js';
import type { AuthenticationResult, DeviceCodeRequest } from '../types.js';

export async function acquireTokenByDeviceCode(ctx: EngineContext, request: DeviceCodeRequest): Promise<AuthenticationResult> {
  if (typeof request.deviceCodeCallback !== 'function') throw new ClientAuthError(C.invalidArgument, 'deviceCodeCallback is required');
  const correlationId = newCorrelationId(request.correlationId);
  const scopes = ScopeSet.from(request.scopes);
  const as = await ctx.authority.metadata();
  const client = oauthClient(ctx);

  // One controller joins the caller's cancel and our timeout, so every wait and request stops at once.
  const controller = new AbortController();
  const onCallerAbort = () => controller.abort(new UserCancelError('The device code sign-in was cancelled'));
  request.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (request.signal?.aborted) onCallerAbort();
  let timer: NodeJS.Timeout | undefined;
  const signal = controller.signal;

  try {
    let device: oauth.DeviceAuthorizationResponse;
    try {
      const response = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: scopes.forRequest().toString(), ...protocolParams(ctx) }, requestOptions(ctx, correlationId, signal));
      device = await oauth.processDeviceAuthorizationResponse(as, client, response);
    } catch (err) {
      throw signal.aborted ? signal.reason : mapProtocolError(err, 'device_authorization');
    }
    const timeoutMs = request.timeoutMs ?? device.expires_in * 1000;
    timer = setTimeout(() => controller.abort(new TimeoutError('The device code was not redeemed in time')), timeoutMs);

    let interval = Math.max(1, device.interval ?? 5);
    request.deviceCodeCallback({
      userCode: device.user_code,
      verificationUri: device.verification_uri,
      ...(device.verification_uri_complete ? { verificationUriComplete: device.verification_uri_complete } : {}),
      expiresIn: device.expires_in,
      interval,
      message:
        typeof device.message === 'string'
          ? device.message
          : `To sign in, open ${device.verification_uri} and enter the code ${device.user_code}.`,
    });

    for (;;) {
      await sleep(interval * 1000, signal).catch(() => {
        throw signal.reason;
      });
      let response: Response;
      try {
        response = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, {
          ...requestOptions(ctx, correlationId, signal),
          additionalParameters: protocolParams(ctx),
        });
      } catch (err) {
        throw signal.aborted ? signal.reason : mapProtocolError(err, 'token');
      }
      try {
        return await handleTokenResponse(ctx, response, { kind: 'device_code', source: 'device_code', requestedScopes: scopes, correlationId });
      } catch (err) {
        if (err instanceof ServerError && err.code === 'authorization_pending') continue;
        if (err instanceof ServerError && err.code === 'slow_down') {
          interval += 5;
          ctx.logger.log('verbose', 'Device code polling slowed down', { correlationId, interval });
          continue;
        }
        throw err;
      }
    }
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onCallerAbort);
  }
}
