// acquireTokenByClientCredential: an app-only token (no user) for `<api>/.default`, cached per app and
// tenant. A cached token outside the renewal window is served with no request to the authority.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, newCorrelationId, oauthClient, requestOptions, type EngineContext } from '../engine-context.js';
import { hasClaims } from '../claims.js';
import { APP_HOME_ACCOUNT_ID, appResult, handleAppTokenResponse, realmOfAuthority, usable } from '../confidential/app-token.js';
import { ScopeSet } from '../scopes.js';
import type { ConfidentialAuthenticationResult } from '../types.js';

export interface ConfidentialContext extends EngineContext {
  readonly clientAuth: () => Promise<oauth.ClientAuth>;
}

export interface ClientCredentialRequest {
  /** Entra accepts only `<resource>/.default` here, e.g. `api://sample-api/.default`. */
  scopes: string[];
  /** Skip the cache (a new token is fetched and cached). */
  skipCache?: boolean;
  /** A claims challenge from the API: skips the cache and is sent with the request. */
  claims?: string;
  correlationId?: string;
}

export async function acquireTokenByClientCredential(ctx: ConfidentialContext, request: ClientCredentialRequest): Promise<ConfidentialAuthenticationResult> {
  const scopes = ScopeSet.from(request.scopes);
  if (scopes.size === 0) throw new ClientAuthError(C.invalidArgument, 'scopes is required (e.g. api://sample-api/.default)');
  const correlationId = newCorrelationId(request.correlationId);
  const realm = await realmOfAuthority(ctx);
  const env = ctx.authority.environment;

  if (!request.skipCache && !hasClaims(request.claims)) {
    const cached = usable(ctx, await ctx.cache.read(() => ctx.cache.findAccessToken(APP_HOME_ACCOUNT_ID, env, ctx.clientId, realm, scopes)));
    if (cached) {
      ctx.logger.log('verbose', 'App token served from the cache', { correlationId });
      return appResult(cached, { fromCache: true, source: 'cache', correlationId });
    }
  }
  // Concurrent callers for the same app, tenant and scopes share one request (a daemon's workers).
  return ctx.refreshes.run(`client_credentials|${realm}|${scopes.key()}|${request.claims ?? ''}`, async () => {
    const as = await ctx.authority.metadata();
    let response: Response;
    try {
      response = await oauth.clientCredentialsGrantRequest(as, oauthClient(ctx), await ctx.clientAuth(), { scope: scopes.toString(), ...claimsParams(ctx, request.claims) }, requestOptions(ctx, correlationId));
    } catch (err) {
      throw mapProtocolError(err, 'token');
    }
    return handleAppTokenResponse(ctx, response, { source: 'client_credentials', requestedScopes: scopes, correlationId });
  });
}
