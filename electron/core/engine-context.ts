// What every flow shares: configuration, the pinned HTTP client, authority metadata, signing keys, the
// cache, the clock and the logger. Flows are small modules taking this context, so new ones (IWA,
// confidential client) plug into the same request/response path.
import { randomUUID } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { Authority } from './authority.js';
import type { FetchLike } from './http/pinned-fetch.js';
import type { JwksCache } from './jwks.js';
import type { TokenCache } from './cache/token-cache.js';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { SingleFlight } from './single-flight.js';
import { mergeClaims } from './claims.js';

export interface EngineContext {
  readonly clientId: string;
  readonly authority: Authority;
  readonly fetch: FetchLike;
  readonly jwks: JwksCache;
  readonly cache: TokenCache;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly clockSkewSeconds: number;
  readonly renewalOffsetSeconds: number;
  /** `auth.clientCapabilities` (e.g. `cp1`: "I handle claims challenges"), sent as `xms_cc` in `claims`. */
  readonly clientCapabilities: readonly string[];
  readonly refreshes: SingleFlight;
  /** Background refreshes (refresh_in) still running: awaited by tests and on shutdown. */
  readonly background: Set<Promise<unknown>>;
  /** Calls of the client's acquire methods still running, awaited on shutdown (see drain.ts). */
  readonly operations: Set<Promise<unknown>>;
}

/**
 * The oauth4webapi client. Its clock is the engine's: oauth4webapi checks ID token times against
 * `Date.now() + clockSkew`, so the offset between the injected clock and real time goes there.
 */
export function oauthClient(ctx: EngineContext): oauth.Client {
  return {
    client_id: ctx.clientId,
    [oauth.clockSkew]: Math.round((ctx.clock.now() - Date.now()) / 1000),
    [oauth.clockTolerance]: ctx.clockSkewSeconds,
  };
}

export function requestOptions(ctx: EngineContext, correlationId: string, signal?: AbortSignal) {
  return {
    [oauth.customFetch]: ctx.fetch,
    // Entra echoes client-request-id, which lets a support case find this request in its logs.
    headers: { 'client-request-id': correlationId },
    ...(signal ? { signal } : {}),
  };
}

export const newCorrelationId = (given?: string): string => given ?? randomUUID();

/** Entra wants client_info=1 to return uid/utid; a plain OpenID Provider would reject unknown params. */
export function protocolParams(ctx: EngineContext): Record<string, string> {
  return ctx.authority.protocolMode === 'entra' ? { client_info: '1' } : {};
}

/**
 * The `claims` parameter of an authorize or token request: the request's own claims with the client
 * capabilities merged in (claims.ts), or nothing. Capabilities are Entra's (`xms_cc`): a plain OpenID
 * Provider gets only the request's claims, since one such as oidc-provider refuses a claims object
 * with neither `id_token` nor `userinfo`.
 */
export function claimsParams(ctx: EngineContext, requestClaims: string | undefined): Record<string, string> {
  const capabilities = ctx.authority.protocolMode === 'entra' ? ctx.clientCapabilities : [];
  const claims = mergeClaims(requestClaims, capabilities);
  return claims === undefined ? {} : { claims };
}
