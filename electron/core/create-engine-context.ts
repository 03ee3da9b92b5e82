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
import { validClientCapabilities } from './claims.js';

export interface CommonClientConfiguration {
  auth: {
    clientId: string;
    authority: string;
    protocolMode?: ProtocolMode;
    knownAuthorities?: string[];
    /**
     * What the app can handle, sent in every request's `claims` as `access_token.xms_cc` (as MSAL does):
     * `['cp1']` tells Entra the app answers claims challenges, so CAE-enabled APIs may send them.
     */
    clientCapabilities?: string[];
  };
  cache?: { persistence?: CachePersistence };
  system?: {
    /**
     * PEM of the one certificate (or CA) trusted on `pinnedHost`, instead of any root: the local IdP's.
     * Other hosts use the normal roots (Node's, the OS store, `extraCaPem`).
     */
    trustedCaPem?: string;
    /** The host (`name` or `name:port`) `trustedCaPem` is pinned to; the authority's host by default. */
    pinnedHost?: string;
    /** More CA certificates (PEM) trusted for every host but the pinned one (a corporate root). */
    extraCaPem?: string;
    /** A proxy for every request (`http://host:port`, credentials allowed), except NO_PROXY hosts. */
    proxyUrl?: string;
    /**
     * The system proxy for a URL as Chromium answers it (`"DIRECT"`, `"PROXY host:port; DIRECT"`, ...):
     * Electron's `session.resolveProxy`. Without it (and without proxyUrl), HTTPS_PROXY / NO_PROXY.
     */
    resolveProxy?: (url: string) => Promise<string>;
    /** Deadline of one HTTP request, connect to last body byte (30 s). */
    requestTimeoutMs?: number;
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
  const fetch = createFetch({
    trustedCaPem: system.trustedCaPem,
    pinnedHost: system.pinnedHost ?? (system.trustedCaPem ? hostOf(auth.authority) : undefined),
    extraCaPem: system.extraCaPem,
    proxyUrl: system.proxyUrl,
    resolveProxy: system.resolveProxy,
    ...(system.requestTimeoutMs ? { timeoutMs: system.requestTimeoutMs } : {}),
    ...(system.maxResponseBytes ? { maxBodyBytes: system.maxResponseBytes } : {}),
  });
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
    clientCapabilities: validClientCapabilities(auth.clientCapabilities),
    refreshes: new SingleFlight(),
    background: new Set(),
    operations: new Set(),
  };
}

/** The authority's host:port, where the pin applies by default (an unparsable one fails in Authority). */
function hostOf(authority: string): string | undefined {
  try {
    return new URL(authority).host;
  } catch {
    return undefined;
  }
}
