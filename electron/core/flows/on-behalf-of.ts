// acquireTokenOnBehalfOf: a middle-tier API trades the user's access token it received (the assertion)
// for a token to a downstream API for the same user (Entra's jwt-bearer grant with
// requested_token_use=on_behalf_of). Cached per assertion hash, so a second call with the same incoming
// token is answered from the cache with no request to the authority.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, newCorrelationId, oauthClient, protocolParams, requestOptions } from '../engine-context.js';
import { hasClaims } from '../claims.js';
import { appResult, assertionHash, handleAppTokenResponse, realmOfAuthority, usable } from '../confidential/app-token.js';
import { ScopeSet } from '../scopes.js';
import type { ConfidentialAuthenticationResult } from '../types.js';
import type { ConfidentialContext } from './client-credential.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface OnBehalfOfRequest {
  /** The access token the API received (its `Authorization: Bearer` value). Never logged or cached. */
  oboAssertion: string;
  /** Downstream scopes, e.g. `User.Read` or `https://graph.localhost/.default`. */
  scopes: string[];
  skipCache?: boolean;
  /** A claims challenge from the downstream API: skips the cache and is sent with the request. */
  claims?: string;
  correlationId?: string;
}

export async function acquireTokenOnBehalfOf(ctx: ConfidentialContext, request: OnBehalfOfRequest): Promise<ConfidentialAuthenticationResult> {
  if (!request.oboAssertion) throw new ClientAuthError(C.invalidArgument, 'oboAssertion is required');
  const scopes = ScopeSet.from(request.scopes);
  if (scopes.size === 0) throw new ClientAuthError(C.invalidArgument, 'scopes is required (e.g. User.Read)');
  const correlationId = newCorrelationId(request.correlationId);
  const hash = assertionHash(request.oboAssertion);
  const realm = await realmOfAuthority(ctx);

  if (!request.skipCache && !hasClaims(request.claims)) {
    const cached = usable(
      ctx,
      await ctx.cache.read(() => ctx.cache.findAccessTokenByAssertion(hash, ctx.authority.environment, ctx.clientId, realm, scopes)),
    );
    if (cached) {
      ctx.logger.log('verbose', 'On-behalf-of token served from the cache', { correlationId });
      return appResult(cached, { fromCache: true, source: 'cache', correlationId });
    }
  }
  // Concurrent requests carrying the same incoming token (a page firing several calls) share one exchange.
  return ctx.refreshes.run(`on_behalf_of|${hash}|${realm}|${scopes.key()}|${request.claims ?? ''}`, async () => {
    const as = await ctx.authority.metadata();
    let response: Response;
    try {
      response = await oauth.genericTokenEndpointRequest(
        as,
        oauthClient(ctx),
        await ctx.clientAuth(),
        JWT_BEARER_GRANT,
        { assertion: request.oboAssertion, requested_token_use: 'on_behalf_of', scope: scopes.toString(), ...protocolParams(ctx), ...claimsParams(ctx, request.claims) },
        requestOptions(ctx, correlationId),
      );
    } catch (err) {
      throw mapProtocolError(err, 'token');
    }
    return handleAppTokenResponse(ctx, response, { source: 'on_behalf_of', requestedScopes: scopes, correlationId, userAssertionHash: hash });
  });
}
