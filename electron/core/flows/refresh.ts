// The refresh-token grant (MSAL's "silent renewal"): one network call per account + scopes at a time
// (single flight), a dead refresh token removed from the cache (and so from persistence) when the
// server says invalid_grant, and every other InteractionRequired code passed through with its code.
import * as oauth from 'oauth4webapi';
import { InteractionRequiredAuthError } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import type { ScopeSet } from '../scopes.js';
import type { AuthenticationResult } from '../types.js';

export interface RefreshRequest {
  homeAccountId: string;
  realm: string;
  scopes: ScopeSet;
  claims?: string | undefined;
  correlationId: string;
}

export function refreshKey(r: RefreshRequest): string {
  return [r.homeAccountId, r.realm, r.scopes.key(), r.claims ?? ''].join('|').toLowerCase();
}

/** Shared by every caller asking for the same account + scopes while one refresh is running. */
export function refreshSingleFlight(ctx: EngineContext, r: RefreshRequest): Promise<AuthenticationResult> {
  return ctx.refreshes.run(refreshKey(r), () => refreshNow(ctx, r));
}

async function refreshNow(ctx: EngineContext, r: RefreshRequest): Promise<AuthenticationResult> {
  const env = ctx.authority.environment;
  const rt = await ctx.cache.read(() => ctx.cache.findRefreshToken(r.homeAccountId, env, ctx.clientId));
  if (!rt) throw new InteractionRequiredAuthError('no_tokens_found', 'No refresh token is cached for this account: sign in again');
  const as = await ctx.authority.metadata();
  ctx.logger.log('verbose', 'Renewing with the refresh token', { correlationId: r.correlationId, scopes: r.scopes.toString() });
  const params: Record<string, string> = {
    // A plain OpenID Provider only accepts scopes the refresh token carries, and offline_access is
    // usually not among them (it is what produced the refresh token); Entra accepts and expects it.
    scope: (ctx.authority.protocolMode === 'entra' ? r.scopes.forRequest() : r.scopes.union(['openid', 'profile'])).toString(),
    ...protocolParams(ctx),
    // A claims challenge's claims, and the client capabilities even without one (MSAL sends both).
    ...claimsParams(ctx, r.claims),
  };
  let response: Response;
  try {
    response = await oauth.refreshTokenGrantRequest(as, oauthClient(ctx), oauth.None(), rt.secret, {
      ...requestOptions(ctx, r.correlationId),
      additionalParameters: params,
    });
  } catch (err) {
    throw mapProtocolError(err, 'token');
  }
  try {
    return await handleTokenResponse(ctx, response, {
      kind: 'refresh_token',
      source: 'refresh',
      requestedScopes: r.scopes,
      correlationId: r.correlationId,
      account: { homeAccountId: r.homeAccountId, realm: r.realm },
    });
  } catch (err) {
    if (err instanceof InteractionRequiredAuthError && refreshTokenIsDead(err)) {
      // The refresh token is dead (revoked, expired, rotated away): never send it again.
      await ctx.cache.write(() => ctx.cache.removeRefreshToken(r.homeAccountId, env, ctx.clientId));
      ctx.logger.log('warn', 'Refresh token rejected and removed', { code: err.code, correlationId: r.correlationId });
    }
    throw err;
  }
}

/**
 * Entra answers `invalid_grant` both for a dead refresh token and for a live one that cannot give this
 * token yet: its `suberror` (consent_required, basic_action, additional_action, message_only,
 * user_password_expired) says the user must act but the refresh token stays good for other scopes.
 * Only no suberror, or `bad_token`, means the token itself is dead (as MSAL reads it).
 */
export function refreshTokenIsDead(error: InteractionRequiredAuthError): boolean {
  if (error.code === 'bad_token' || error.subError === 'bad_token') return true;
  return error.code === 'invalid_grant' && (error.subError === undefined || error.subError === '');
}
