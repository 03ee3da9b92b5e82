// acquireTokenByDeviceCode (RFC 8628): show the code through the callback, then poll the token
// endpoint every `interval` seconds; `slow_down` adds 5 s (§3.5), `authorization_pending` keeps
// polling, `access_denied` and `expired_token` end the flow with the server's code. Cancellable at any
// moment through the signal; a timeout (default: the code's own lifetime) ends it too.
// The device authorization response is checked before anything is shown or polled: its URIs are what
// the user is told to open, so only https (http on loopback, for a local IdP) passes, and a response
// that fails ends the flow with `invalid_device_code_response`. A callback that throws ends it too.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C, ServerError, TimeoutError, UserCancelError } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, newCorrelationId, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import { ScopeSet } from '../scopes.js';
import { sleep } from './abortable-sleep.js';
import type { AuthenticationResult, DeviceCodeInfo, DeviceCodeRequest } from '../types.js';

/** Bounds of what is shown to the user (the app's device-code view has the same ones). */
const MAX_URI_LENGTH = 2048;
const MAX_USER_CODE_LENGTH = 64;
const MAX_MESSAGE_LENGTH = 1024;
/** A day: Entra's codes live 15 minutes; longer is a broken server (and would overflow a timer). */
const MAX_EXPIRES_IN = 24 * 3600;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const hasControlChars = (text: string): boolean => /\p{Cc}/u.test(text);

/** A page a person may be sent to: https, or http on loopback; no credentials; bounded. */
export function isSafeVerificationUri(uri: unknown): uri is string {
  if (typeof uri !== 'string' || uri.length > MAX_URI_LENGTH || hasControlChars(uri)) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const refuse = (what: string) =>
  new ClientAuthError(C.invalidDeviceCodeResponse, `The device authorization response was refused: ${what}`);

/**
 * The device authorization response → what the callback shows, or a typed error. Pure, so the rules
 * are tested without a server; the fields named in errors are never echoed (a hostile value could be
 * anything).
 */
export function deviceCodeInfoOf(device: oauth.DeviceAuthorizationResponse): DeviceCodeInfo {
  if (!isSafeVerificationUri(device.verification_uri)) throw refuse('verification_uri is not an https address');
  if (device.verification_uri_complete !== undefined && !isSafeVerificationUri(device.verification_uri_complete)) {
    throw refuse('verification_uri_complete is not an https address');
  }
  const userCode = device.user_code;
  if (userCode.length > MAX_USER_CODE_LENGTH || hasControlChars(userCode)) throw refuse('user_code is not a short code');
  if (!(device.expires_in >= 1 && device.expires_in <= MAX_EXPIRES_IN)) throw refuse('expires_in is out of range');
  const interval = Math.max(1, device.interval ?? 5);
  if (interval > device.expires_in) throw refuse('interval is longer than the code lives');
  const fallback = `To sign in, open ${device.verification_uri} and enter the code ${userCode}.`;
  const message =
    typeof device.message === 'string' && device.message.trim() && device.message.length <= MAX_MESSAGE_LENGTH && !/[\0-\x08\x0B-\x1F\x7F]/.test(device.message)
      ? device.message
      : fallback.length <= MAX_MESSAGE_LENGTH
        ? fallback
        : `To sign in, open the page shown and enter the code ${userCode}.`;
  return {
    userCode,
    verificationUri: device.verification_uri,
    ...(device.verification_uri_complete !== undefined ? { verificationUriComplete: device.verification_uri_complete } : {}),
    expiresIn: device.expires_in,
    interval,
    message,
  };
}

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
      const response = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: scopes.forRequest().toString(), ...protocolParams(ctx), ...claimsParams(ctx, request.claims) }, requestOptions(ctx, correlationId, signal));
      device = await oauth.processDeviceAuthorizationResponse(as, client, response);
    } catch (err) {
      throw signal.aborted ? signal.reason : mapProtocolError(err, 'device_authorization');
    }
    // Checked before the timer, the callback and the first poll: a refused response shows nothing and
    // polls nothing.
    const info = deviceCodeInfoOf(device);
    // The code's own lifetime running out is the server's `expired_token` (RFC 8628 §3.5), raised here
    // too, since the server only says so when polled after expiry; a caller's shorter timeout is ours.
    const timeoutMs = request.timeoutMs ?? info.expiresIn * 1000;
    const onTimeout = () =>
      request.timeoutMs === undefined
        ? new ServerError('expired_token', 'The device code expired before it was used')
        : new TimeoutError('The device code was not redeemed in time');
    timer = setTimeout(() => controller.abort(onTimeout()), timeoutMs);

    let interval = info.interval;
    request.deviceCodeCallback(info);

    for (;;) {
      await sleep(interval * 1000, signal).catch(() => {
        throw signal.reason;
      });
      let response: Response;
      try {
        response = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), device.device_code, {
          ...requestOptions(ctx, correlationId, signal),
          additionalParameters: { ...protocolParams(ctx), ...claimsParams(ctx, request.claims) },
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
