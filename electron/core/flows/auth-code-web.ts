// Authorization code for web apps (msal-node's getAuthCodeUrl + acquireTokenByCode): the app builds the
// URL, its own web server receives the redirect, and the code is redeemed with PKCE and the client's
// credential. The response goes through the public client's path (ID token validation, cache, account).
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from '../errors.js';
import { mapProtocolError } from '../protocol-errors.js';
import { claimsParams, newCorrelationId, oauthClient, protocolParams, requestOptions, type EngineContext } from '../engine-context.js';
import { handleTokenResponse } from '../token-response.js';
import { ScopeSet } from '../scopes.js';
import type { ConfidentialAuthenticationResult } from '../types.js';
import type { ConfidentialContext } from './client-credential.js';

export interface PkceCodes {
  verifier: string;
  challenge: string;
}

/** A fresh PKCE pair (S256): keep the verifier in the web session, send the challenge. */
export async function generatePkceCodes(): Promise<PkceCodes> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

export interface AuthCodeUrlRequest {
  scopes: string[];
  redirectUri: string;
  codeChallenge: string;
  /** Opaque value the app checks on the redirect (CSRF). */
  state: string;
  nonce?: string;
  prompt?: 'login' | 'select_account' | 'consent' | 'none';
  loginHint?: string;
  claims?: string;
}

export async function getAuthCodeUrl(ctx: EngineContext, request: AuthCodeUrlRequest): Promise<string> {
  if (!request.codeChallenge || !request.state || !request.redirectUri) {
    throw new ClientAuthError(C.invalidArgument, 'redirectUri, codeChallenge and state are required');
  }
  const as = await ctx.authority.metadata();
  const url = new URL(as.authorization_endpoint as string);
  const params: Record<string, string | undefined> = {
    client_id: ctx.clientId,
    response_type: 'code',
    response_mode: 'query',
    redirect_uri: request.redirectUri,
    scope: ScopeSet.from(request.scopes).forRequest().toString(),
    code_challenge: request.codeChallenge,
    code_challenge_method: 'S256',
    state: request.state,
    nonce: request.nonce,
    prompt: request.prompt,
    login_hint: request.loginHint,
    ...protocolParams(ctx),
    ...claimsParams(ctx, request.claims),
  };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

export interface AuthCodeRequest {
  /** The query of the redirect the web app received (code, state, iss, ...), as a string or params. */
  responseParams: URLSearchParams | string;
  /** The state this session sent: a different one is refused (state_mismatch). */
  state: string;
  redirectUri: string;
  scopes: string[];
  codeVerifier: string;
  nonce?: string;
  claims?: string;
  correlationId?: string;
}

export async function acquireTokenByCode(ctx: ConfidentialContext, request: AuthCodeRequest): Promise<ConfidentialAuthenticationResult> {
  const correlationId = newCorrelationId(request.correlationId);
  const as = await ctx.authority.metadata();
  const client = oauthClient(ctx);
  let callback: URLSearchParams;
  try {
    callback = oauth.validateAuthResponse(as, client, new URLSearchParams(request.responseParams), request.state);
  } catch (err) {
    throw mapProtocolError(err, 'authorize');
  }
  let response: Response;
  try {
    response = await oauth.authorizationCodeGrantRequest(as, client, await ctx.clientAuth(), callback, request.redirectUri, request.codeVerifier, {
      ...requestOptions(ctx, correlationId),
      additionalParameters: { ...protocolParams(ctx), ...claimsParams(ctx, request.claims) },
    });
  } catch (err) {
    throw mapProtocolError(err, 'token');
  }
  const result = await handleTokenResponse(ctx, response, {
    kind: 'authorization_code',
    source: 'interactive',
    requestedScopes: ScopeSet.from(request.scopes),
    correlationId,
    ...(request.nonce ? { nonce: request.nonce } : {}),
  });
  return { ...result, source: 'authorization_code' };
}
