// acquireTokenByUsernamePassword (ROPC). Present for completeness only: the documents call it not
// recommended (no MFA, no consent, the app sees the password), so it refuses to run unless the app
// set auth.allowUsernamePassword. The password is sent once and never logged or kept.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, newCorrelationId, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import { ScopeSet } from '../scopes.js';
import type { AuthenticationResult, UsernamePasswordRequest } from '../types.js';

export async function acquireTokenByUsernamePassword(
  ctx: EngineContext,
  allowed: boolean,
  request: UsernamePasswordRequest,
): Promise<AuthenticationResult> {
  if (!allowed) {
    throw new ClientAuthError(C.usernamePasswordDisabled, 'The username/password grant is disabled: set auth.allowUsernamePassword to use it (not recommended)');
  }
  const correlationId = newCorrelationId(request.correlationId);
  const scopes = ScopeSet.from(request.scopes);
  const as = await ctx.authority.metadata();
  let response: Response;
  try {
    response = await oauth.genericTokenEndpointRequest(
      as,
      oauthClient(ctx),
      oauth.None(),
      'password',
      { username: request.username, password: request.password, scope: scopes.forRequest().toString(), ...protocolParams(ctx), ...claimsParams(ctx, request.claims) },
      requestOptions(ctx, correlationId),
    );
  } catch (err) {
    throw mapProtocolError(err, 'token');
  }
  return handleTokenResponse(ctx, response, { kind: 'generic', source: 'password', requestedScopes: scopes, correlationId });
}
