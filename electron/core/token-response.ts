// The one path every grant's response takes: parse (oauth4webapi) → validate the ID token (jose) →
// derive the account → write access token, rotated refresh token, ID token and account to the cache
// in one step → build the AuthenticationResult. Nothing is cached unless all checks passed, so a
// rejected response leaves the cache exactly as it was.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from './errors.js';
import { mapProtocolError } from './protocol-errors.js';
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
import type { AccessTokenEntity, AccountEntity, IdTokenEntity } from './cache/schema.js';
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
  const as = await ctx.authority.metadata();
  const client = oauthClient(ctx);
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
    throw mapProtocolError(err, 'token');
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
      issuer: as.issuer,
      clientId: ctx.clientId,
      nonce: expect.kind === 'authorization_code' ? expect.nonce : undefined,
      clock: ctx.clock,
      clockSkewSeconds: ctx.clockSkewSeconds,
    });
    homeAccountId = homeAccountIdOf(claims, clientInfo);
    realm = realmOf(claims);
    if (expect.account && expect.account.homeAccountId !== homeAccountId) {
      throw new ClientAuthError('account_mismatch', 'The refreshed tokens belong to another account');
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
  const expiresIn = numberOr(body.expires_in, 3600);
  const extExpiresIn = numberOr(body.ext_expires_in, undefined);
  const refreshIn = numberOr(body.refresh_in, undefined);
  const env = ctx.authority.environment;

  const accessToken: AccessTokenEntity = {
    home_account_id: homeAccountId,
    environment: env,
    credential_type: 'AccessToken',
    client_id: ctx.clientId,
    secret: body.access_token,
    realm,
    target: granted.toString(),
    cached_at: String(now),
    expires_on: String(now + expiresIn),
    ...(extExpiresIn !== undefined ? { extended_expires_on: String(now + extExpiresIn) } : {}),
    ...(refreshIn !== undefined ? { refresh_on: String(now + refreshIn) } : {}),
    token_type: body.token_type === 'bearer' ? 'Bearer' : body.token_type,
  };
  const idTokenEntity: IdTokenEntity = {
    home_account_id: homeAccountId,
    environment: env,
    credential_type: 'IdToken',
    client_id: ctx.clientId,
    secret: idToken,
    realm,
  };

  const accountEntity = await ctx.cache.write(() => {
    const existing = ctx.cache.findAccount(homeAccountId, env);
    const account: AccountEntity = accountEntityFor(existing, claims, homeAccountId, env, clientInfoRaw, ctx.authority.protocolMode, now);
    ctx.cache.saveTokens({
      account,
      idToken: idTokenEntity,
      accessToken,
      // No refresh token in the response: the old one stays valid (no rotation happened).
      ...(typeof body.refresh_token === 'string'
        ? {
            refreshToken: {
              home_account_id: homeAccountId,
              environment: env,
              credential_type: 'RefreshToken' as const,
              client_id: ctx.clientId,
              secret: body.refresh_token,
            },
          }
        : {}),
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

export function buildResult(
  ctx: EngineContext,
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
  const at = r.accessToken;
  return {
    accessToken: at.secret,
    idToken: r.idToken,
    idTokenClaims: r.claims,
    expiresOn: new Date(Number(at.expires_on) * 1000),
    ...(at.extended_expires_on ? { extExpiresOn: new Date(Number(at.extended_expires_on) * 1000) } : {}),
    ...(at.refresh_on ? { refreshOn: new Date(Number(at.refresh_on) * 1000) } : {}),
    tenantId: at.realm,
    account: r.account,
    scopes: [...ScopeSet.from(at.target).values],
    uniqueId: (r.claims.oid as string | undefined) ?? r.claims.sub,
    fromCache: r.fromCache,
    tokenType: at.token_type ?? 'Bearer',
    correlationId: r.correlationId,
    source: r.source,
  };
}

function numberOr<T extends number | undefined>(v: unknown, fallback: T): number | T {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
