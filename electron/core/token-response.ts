// The one path every grant's response takes: parse (oauth4webapi) → validate the ID token (jose) →
// derive the account → write access token, rotated refresh token, ID token and account to the cache
// in one step → build the AuthenticationResult. Nothing is cached unless all checks passed, so a
// rejected response leaves the cache exactly as it was.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from './errors.js';
import { mapProtocolError } from './protocol-errors.js';
import { metadataForTokenResponse } from './authority.js';
import { validateIdToken } from './id-token.js';
import { ScopeSet } from './scopes.js';
import { nowSeconds } from './clock.js';
import {
  accountEntityFor,
  accountInfoFrom,
  decodeClientInfo,
  homeAccountIdOf,
  realmOf,
  safeDecode,
} from './account.js';
import { oauthClient, type EngineContext } from './engine-context.js';
import type { AccessTokenEntity, AccountEntity } from './cache/schema.js';
import { accessTokenEntity, idTokenEntity, refreshTokenEntity, resultFrom } from './cache/entities.js';
import type { AuthenticationResult, IdTokenClaims, TokenSource } from './types.js';

export type ResponseKind = 'authorization_code' | 'refresh_token' | 'device_code' | 'generic';

export interface ResponseExpectations {
  kind: ResponseKind;
  source: TokenSource;
  requestedScopes: ScopeSet;
  correlationId: string;
  /** The nonce sent in the authorization request (code flow). */
  nonce?: string;
  /** For refresh: the account the refresh token belongs to, used when no ID token comes back. */
  account?: { homeAccountId: string; realm: string };
}

export async function handleTokenResponse(ctx: EngineContext, response: Response, expect: ResponseExpectations): Promise<AuthenticationResult> {
  const metadata = await ctx.authority.metadata();
  // Entra's multi-tenant template resolved with this response's tid for oauth4webapi's checks; jose
  // below resolves the template again, from the verified claims.
  const as = await metadataForTokenResponse(metadata, response);
  const client = oauthClient(ctx);
  // Kept to tell, on a parse error, a body that is not JSON from an ID token inside it that is not.
  const copy = response.clone();
  let body: oauth.TokenEndpointResponse;
  try {
    switch (expect.kind) {
      case 'authorization_code':
        body = await oauth.processAuthorizationCodeResponse(as, client, response, {
          expectedNonce: expect.nonce ?? oauth.expectNoNonce,
          requireIdToken: true,
        });
        break;
      case 'refresh_token':
        body = await oauth.processRefreshTokenResponse(as, client, response);
        break;
      case 'device_code':
        body = await oauth.processDeviceCodeResponse(as, client, response);
        break;
      default:
        body = await oauth.processGenericTokenEndpointResponse(as, client, response);
    }
  } catch (err) {
    const parseError = err instanceof oauth.OperationProcessingError && err.code === oauth.PARSE_ERROR;
    throw mapProtocolError(err, 'token', parseError ? { bodyWasJson: await isJson(copy) } : {});
  }

  const now = nowSeconds(ctx.clock);
  const clientInfoRaw = typeof body.client_info === 'string' ? body.client_info : undefined;
  const clientInfo = decodeClientInfo(clientInfoRaw);

  let claims: IdTokenClaims;
  let idToken: string;
  let homeAccountId: string;
  let realm: string;
  if (typeof body.id_token === 'string') {
    idToken = body.id_token;
    claims = await validateIdToken(idToken, ctx.jwks, {
      issuer: metadata.issuer,
      clientId: ctx.clientId,
      nonce: expect.kind === 'authorization_code' ? expect.nonce : undefined,
      clock: ctx.clock,
      clockSkewSeconds: ctx.clockSkewSeconds,
    });
    homeAccountId = homeAccountIdOf(claims, clientInfo);
    realm = realmOf(claims);
    if (expect.account && expect.account.homeAccountId !== homeAccountId) {
      throw new ClientAuthError(C.accountMismatch, 'The refreshed tokens belong to another account');
    }
  } else if (expect.account) {
    // Refresh without a new ID token (allowed by OIDC): keep the one we validated before.
    homeAccountId = expect.account.homeAccountId;
    realm = expect.account.realm;
    const cached = await ctx.cache.read(() => ctx.cache.findIdToken(homeAccountId, ctx.authority.environment, ctx.clientId, realm));
    const decoded = cached && safeDecode(cached.secret);
    if (!cached || !decoded) throw new ClientAuthError(C.invalidResponse, 'The token response has no ID token and none is cached');
    idToken = cached.secret;
    claims = decoded;
  } else {
    throw new ClientAuthError(C.invalidResponse, 'The token response has no ID token');
  }

  const granted = typeof body.scope === 'string' && body.scope.trim() ? ScopeSet.from(body.scope) : expect.requestedScopes;
  const env = ctx.authority.environment;
  const key = { homeAccountId, environment: env, clientId: ctx.clientId, realm };
  const accessToken = accessTokenEntity(key, body, { now, target: granted });
  const idTokenEntry = idTokenEntity(key, idToken);

  const accountEntity = await ctx.cache.write(() => {
    const existing = ctx.cache.findAccount(homeAccountId, env);
    const account: AccountEntity = accountEntityFor(existing, claims, homeAccountId, env, clientInfoRaw, ctx.authority.protocolMode, now);
    ctx.cache.saveTokens({
      account,
      idToken: idTokenEntry,
      accessToken,
      // No refresh token in the response: the old one stays valid (no rotation happened).
      ...(typeof body.refresh_token === 'string' ? { refreshToken: refreshTokenEntity(key, body.refresh_token) } : {}),
      appMetadata: { client_id: ctx.clientId, environment: env },
    });
    return { account, idTokens: ctx.cache.idTokensOf(homeAccountId) };
  });

  ctx.logger.log('info', 'Token acquired', { source: expect.source, correlationId: expect.correlationId, scopes: granted.toString() });
  return buildResult(ctx, {
    accessToken,
    idToken,
    claims,
    account: accountInfoFrom(accountEntity.account, accountEntity.idTokens, ctx.clientId, realm),
    fromCache: false,
    source: expect.source,
    correlationId: expect.correlationId,
  });
}

/** A user token's result (the one builder is cache/entities.ts `resultFrom`). */
export function buildResult(
  _ctx: EngineContext,
  r: {
    accessToken: AccessTokenEntity;
    idToken: string;
    claims: IdTokenClaims;
    account: AuthenticationResult['account'];
    fromCache: boolean;
    source: TokenSource;
    correlationId: string;
  },
): AuthenticationResult {
  const { accessToken, ...rest } = r;
  return resultFrom(accessToken, { ...rest, uniqueId: (r.claims.oid as string | undefined) ?? r.claims.sub });
}

async function isJson(response: Response): Promise<boolean> {
  try {
    JSON.parse(await response.text());
    return true;
  } catch {
    return false;
  }
}
