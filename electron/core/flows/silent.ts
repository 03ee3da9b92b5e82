// acquireTokenSilent, as MSAL documents it: a cached access token that covers the scopes and is not
// about to expire is returned with no network call; past its refresh_on it is still returned while a
// background refresh starts; otherwise the refresh token gets a new one (single flight).
import { InteractionRequiredAuthError, InteractionRequiredErrorCode } from '../errors.js';
import { nowSeconds } from '../clock.js';
import { accountInfoFrom, safeDecode } from '../account.js';
import { buildResult } from '../token-response.js';
import { renewalOf } from '../cache/entities.js';
import { refreshSingleFlight } from './refresh.js';
import { newCorrelationId, type EngineContext } from '../engine-context.js';
import { ScopeSet } from '../scopes.js';
import { hasClaims } from '../claims.js';
import type { AuthenticationResult, SilentRequest } from '../types.js';

export async function acquireTokenSilent(ctx: EngineContext, request: SilentRequest): Promise<AuthenticationResult> {
  const correlationId = newCorrelationId(request.correlationId);
  const scopes = ScopeSet.from(request.scopes);
  const home = request.account.homeAccountId;
  const realm = request.account.tenantId;
  const env = ctx.authority.environment;

  const hit = await ctx.cache.read(() => {
    const account = ctx.cache.findAccount(home, env);
    if (!account) return undefined;
    const at = ctx.cache.findAccessToken(home, env, ctx.clientId, realm, scopes);
    const idt = ctx.cache.findIdToken(home, env, ctx.clientId, realm);
    return { account, at, idt, idTokens: ctx.cache.idTokensOf(home) };
  });
  if (!hit) throw new InteractionRequiredAuthError(InteractionRequiredErrorCode.noAccountFound, 'This account is not in the token cache: sign in again');

  const refresh = () => refreshSingleFlight(ctx, { homeAccountId: home, realm, scopes, claims: request.claims, correlationId });
  // A claims challenge is never answered from the cache: the cached token is what the API refused.
  if (request.forceRefresh || hasClaims(request.claims) || !hit.at || !hit.idt) return refresh();

  const renewal = renewalOf(hit.at, nowSeconds(ctx.clock), ctx.renewalOffsetSeconds);
  if (renewal === 'renew') return refresh();

  const claims = safeDecode(hit.idt.secret);
  if (!claims) return refresh();
  if (renewal === 'background') {
    // Still valid, but the server asked for an early renewal: serve from cache, renew in the background.
    const background = refresh().catch((err: unknown) => {
      ctx.logger.log('warn', 'Background refresh failed', { code: (err as { code?: string }).code, correlationId });
    });
    ctx.background.add(background);
    void background.finally(() => ctx.background.delete(background));
  }
  ctx.logger.log('verbose', 'Access token served from the cache', { correlationId });
  return buildResult(ctx, {
    accessToken: hit.at,
    idToken: hit.idt.secret,
    claims,
    account: accountInfoFrom(hit.account, hit.idTokens, ctx.clientId, realm),
    fromCache: true,
    source: 'cache',
    correlationId,
  });
}
