// The authorization code request shared by the interactive and IWA flows: the URL with PKCE (S256),
// state and nonce, then the redemption of the redirect it ends at. Who walks the URL differs (a
// window for a person, the headless walker for Kerberos); what is sent and checked does not.
import * as oauth from 'oauth4webapi';
import { UserCancelError } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import type { ScopeSet } from '../scopes.js';
import type { AuthenticationResult, TokenSource } from '../types.js';

export interface AuthorizationRequestInput {
  scopes: ScopeSet;
  redirectUri: string;
  prompt?: string | undefined;
  loginHint?: string | undefined;
  domainHint?: string | undefined;
  claims?: string | undefined;
  /** Default: a fresh random one. The interactive flow makes it first, for its loopback listener. */
  state?: string | undefined;
}

/** A request sent out and not yet answered: what the redirect must be checked and redeemed with. */
export interface PendingAuthorization {
  url: URL;
  redirectUri: string;
  scopes: ScopeSet;
  state: string;
  nonce: string;
  codeVerifier: string;
  /** The request's own claims: the code redemption sends them again (with the capabilities), as MSAL does. */
  claims?: string | undefined;
}

export async function buildAuthorizationRequest(ctx: EngineContext, input: AuthorizationRequestInput): Promise<PendingAuthorization> {
  const as = await ctx.authority.metadata();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = input.state ?? oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint as string);
  const params: Record<string, string | undefined> = {
    client_id: ctx.clientId,
    response_type: 'code',
    redirect_uri: input.redirectUri,
    scope: input.scopes.forRequest().toString(),
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    response_mode: 'query',
    prompt: input.prompt,
    login_hint: input.loginHint,
    // domain_hint is Entra's (skip home realm discovery); a plain OpenID Provider has no use for it.
    domain_hint: ctx.authority.protocolMode === 'entra' ? input.domainHint : undefined,
    ...protocolParams(ctx),
    ...claimsParams(ctx, input.claims),
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return { url, redirectUri: input.redirectUri, scopes: input.scopes, state, nonce, codeVerifier, claims: input.claims };
}

/** Check the redirect's state (and OAuth error), redeem its code with the PKCE verifier, cache the result. */
export async function redeemAuthorizationCode(
  ctx: EngineContext,
  pending: PendingAuthorization,
  redirect: URL | URLSearchParams,
  options: { correlationId: string; source: TokenSource; signal?: AbortSignal | undefined },
): Promise<AuthenticationResult> {
  const as = await ctx.authority.metadata();
  const client = oauthClient(ctx);
  let callbackParams: URLSearchParams;
  try {
    callbackParams = oauth.validateAuthResponse(as, client, redirect, pending.state);
  } catch (err) {
    throw mapProtocolError(err, 'authorize');
  }
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callbackParams, pending.redirectUri, pending.codeVerifier, {
      ...requestOptions(ctx, options.correlationId, options.signal),
      additionalParameters: { ...protocolParams(ctx), ...claimsParams(ctx, pending.claims) },
    });
  } catch (err) {
    if (options.signal?.aborted) throw new UserCancelError('The sign-in was cancelled', { cause: err });
    throw mapProtocolError(err, 'token');
  }
  return handleTokenResponse(ctx, response, {
    kind: 'authorization_code',
    source: options.source,
    requestedScopes: pending.scopes,
    correlationId: options.correlationId,
    nonce: pending.nonce,
  });
}
