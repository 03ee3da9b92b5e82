// Builds the context every flow shares, from the part of the configuration public and confidential
// clients have in common: one place that validates it and wires authority, pinned HTTP, JWKS and cache.
import { Authority, type ProtocolMode } from './authority.js';
import type { CachePersistence } from './cache/persistence.js';
import { TokenCache } from './cache/token-cache.js';
import { systemClock, type Clock } from './clock.js';
import type { EngineContext } from './engine-context.js';
import { ClientAuthError, ClientAuthErrorCode as C } from './errors.js';
import { createFetch } from './http/pinned-fetch.js';
import { JwksCache } from './jwks.js';
import { redacting, type Logger } from './logger.js';
import { SingleFlight } from './single-flight.js';

export interface CommonClientConfiguration {
  auth: { clientId: string; authority: string; protocolMode?: ProtocolMode; knownAuthorities?: string[] };
  cache?: { persistence?: CachePersistence };
  system?: {
    /** PEM of the one CA (or self-signed certificate) to trust instead of the system roots. */
    trustedCaPem?: string;
    logger?: Logger;
    clock?: Clock;
    /** Refresh an access token this long before it expires (MSAL: 5 minutes). */
    tokenRenewalOffsetSeconds?: number;
    /** Clock skew allowed when validating ID tokens. */
    clockSkewSeconds?: number;
    /** Cap on any HTTP response body from the authority. */
    maxResponseBytes?: number;
  };
}

export function createEngineContext(config: CommonClientConfiguration): EngineContext {
  const { auth, system = {}, cache = {} } = config;
  if (!auth?.clientId) throw new ClientAuthError(C.invalidArgument, 'auth.clientId is required');
  if (!auth.authority) throw new ClientAuthError(C.invalidArgument, 'auth.authority is required');
  const protocolMode = auth.protocolMode ?? 'entra';
  if (protocolMode !== 'entra' && protocolMode !== 'oidc') throw new ClientAuthError(C.invalidArgument, "auth.protocolMode must be 'entra' or 'oidc'");
  const fetch = createFetch({ trustedCaPem: system.trustedCaPem, ...(system.maxResponseBytes ? { maxBodyBytes: system.maxResponseBytes } : {}) });
  const authority = new Authority(auth.authority, protocolMode, fetch, auth.knownAuthorities);
  return {
    clientId: auth.clientId,
    authority,
    fetch,
    jwks: new JwksCache(async () => (await authority.metadata()).jwks_uri as string, fetch),
    cache: new TokenCache(cache.persistence),
    clock: system.clock ?? systemClock,
    logger: redacting(system.logger),
    clockSkewSeconds: system.clockSkewSeconds ?? 300,
    renewalOffsetSeconds: system.tokenRenewalOffsetSeconds ?? 300,
    refreshes: new SingleFlight(),
    background: new Set(),
  };
}
