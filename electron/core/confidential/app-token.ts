// The response path of token requests that carry no ID token (client credentials, on-behalf-of):
// parse with oauth4webapi → one atomic cache write of the access token → AuthenticationResult with
// `account: null`. The token itself stays opaque: the tenant comes from the authority's issuer.
import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import { mapProtocolError } from '../protocol-errors.js';
import { decodeClientInfo } from '../account.js';
import { nowSeconds } from '../clock.js';
import { oauthClient, type EngineContext } from '../engine-context.js';
import { ScopeSet } from '../scopes.js';
import type { AccessTokenEntity } from '../cache/schema.js';
import { accessTokenEntity, renewalOf, resultFrom } from '../cache/entities.js';
import type { ConfidentialAuthenticationResult, ConfidentialTokenSource, IdTokenClaims } from '../types.js';

/** msal-node's home_account_id for app-only tokens: no user, so empty. */
export const APP_HOME_ACCOUNT_ID = '';

/** `https://host/<tenant>/v2.0` → `<tenant>`; '' for issuers that name no tenant (plain OIDC). */
export function tenantOfIssuer(issuer: string): string {
  const m = /\/([^/]+)\/v2\.0\/?$/.exec(new URL(issuer).pathname);
  return m?.[1] ?? '';
}

/** The cache key of an OBO token: never the assertion itself (a bearer token), only its hash. */
export function assertionHash(assertion: string): string {
  return createHash('sha256').update(assertion).digest('base64url');
}

export async function realmOfAuthority(ctx: EngineContext): Promise<string> {
  return tenantOfIssuer((await ctx.authority.metadata()).issuer);
}

export interface AppTokenExpectations {
  source: Extract<ConfidentialTokenSource, 'client_credentials' | 'on_behalf_of'>;
  requestedScopes: ScopeSet;
  correlationId: string;
  userAssertionHash?: string;
}

export async function handleAppTokenResponse(ctx: EngineContext, response: Response, expect: AppTokenExpectations): Promise<ConfidentialAuthenticationResult> {
  const as = await ctx.authority.metadata();
  let body: oauth.TokenEndpointResponse;
  try {
    body = await oauth.processGenericTokenEndpointResponse(as, oauthClient(ctx), response);
  } catch (err) {
    throw mapProtocolError(err, 'token');
  }
  const now = nowSeconds(ctx.clock);
  const realm = tenantOfIssuer(as.issuer);
  // OBO responses carry client_info (the user); app-only ones have no user.
  const info = decodeClientInfo(body.client_info);
  const home = info ? `${info.uid}.${info.utid}` : APP_HOME_ACCOUNT_ID;
  // `.default` is answered without a scope (Entra omits it for app tokens): keep what was asked.
  const granted = typeof body.scope === 'string' && body.scope.trim() ? ScopeSet.from(body.scope) : expect.requestedScopes;
  const entity = accessTokenEntity(
    { homeAccountId: home, environment: ctx.authority.environment, clientId: ctx.clientId, realm },
    body,
    // Cached under what was asked too, so `.default` finds it again even when the server named scopes.
    { now, target: granted.union(expect.requestedScopes), userAssertionHash: expect.userAssertionHash },
  );
  await ctx.cache.write(() => ctx.cache.saveTokens({ accessToken: entity }));
  ctx.logger.log('info', 'Token acquired', { source: expect.source, correlationId: expect.correlationId, scopes: granted.toString() });
  return appResult(entity, { fromCache: false, source: expect.source, correlationId: expect.correlationId, scopes: granted });
}

/** A cached entity that is still valid outside the renewal window, if any (app tokens have no refresh token to renew early with). */
export function usable(ctx: EngineContext, at: AccessTokenEntity | undefined): AccessTokenEntity | undefined {
  return at && renewalOf(at, nowSeconds(ctx.clock), ctx.renewalOffsetSeconds) !== 'renew' ? at : undefined;
}

/** An app-only (or OBO) token's result: no ID token; the unique id is the user's `uid`, if any. */
export function appResult(
  at: AccessTokenEntity,
  r: { fromCache: boolean; source: ConfidentialTokenSource; correlationId: string; scopes?: ScopeSet },
): ConfidentialAuthenticationResult {
  return resultFrom(at, {
    idToken: '',
    claims: {} as IdTokenClaims,
    account: null,
    uniqueId: at.home_account_id.split('.')[0] ?? '',
    scopes: r.scopes,
    fromCache: r.fromCache,
    source: r.source,
    correlationId: r.correlationId,
  });
}
