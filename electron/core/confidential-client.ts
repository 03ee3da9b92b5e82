// ConfidentialClientApplication: msal-node's confidential client surface (daemons, web APIs, web apps)
// over the same engine as the public client: authority discovery, pinned HTTP, JWKS and ID token
// validation, the MSAL-schema TokenCache and the typed errors. Only the credential is new: every token
// request authenticates the client with a secret or a certificate (confidential/client-assertion.ts).
import { Authority, type ProtocolMode } from './authority.js';
import { createFetch } from './http/pinned-fetch.js';
import { JwksCache } from './jwks.js';
import { TokenCache } from './cache/token-cache.js';
import { systemClock, type Clock } from './clock.js';
import { redacting, type Logger } from './logger.js';
import { SingleFlight } from './single-flight.js';
import { ClientAuthError, ClientAuthErrorCode as C } from './errors.js';
import { clientAuthFor, type ClientCertificate } from './confidential/client-assertion.js';
import { acquireTokenByClientCredential, type ClientCredentialRequest, type ConfidentialContext } from './flows/client-credential.js';
import { acquireTokenOnBehalfOf, type OnBehalfOfRequest } from './flows/on-behalf-of.js';
import { acquireTokenByCode, getAuthCodeUrl, type AuthCodeRequest, type AuthCodeUrlRequest } from './flows/auth-code-web.js';
import type { CachePersistence, SerializableTokenCache } from './cache/persistence.js';
import type { ConfidentialAuthenticationResult } from './types.js';

export interface ConfidentialClientConfiguration {
  auth: {
    clientId: string;
    authority: string;
    protocolMode?: ProtocolMode;
    knownAuthorities?: string[];
    /** Exactly one of clientSecret and clientCertificate. */
    clientSecret?: string;
    clientCertificate?: ClientCertificate;
  };
  cache?: { persistence?: CachePersistence };
  system?: {
    trustedCaPem?: string;
    logger?: Logger;
    clock?: Clock;
    tokenRenewalOffsetSeconds?: number;
    clockSkewSeconds?: number;
    maxResponseBytes?: number;
  };
}

export class ConfidentialClientApplication {
  /** Exposed for sibling modules and tests; not part of the documented API. */
  readonly context: ConfidentialContext;

  private constructor(config: ConfidentialClientConfiguration) {
    const { auth, system = {}, cache = {} } = config;
    if (!auth?.clientId) throw new ClientAuthError(C.invalidArgument, 'auth.clientId is required');
    if (!auth.authority) throw new ClientAuthError(C.invalidArgument, 'auth.authority is required');
    const protocolMode = auth.protocolMode ?? 'entra';
    if (protocolMode !== 'entra' && protocolMode !== 'oidc') throw new ClientAuthError(C.invalidArgument, "auth.protocolMode must be 'entra' or 'oidc'");
    const clientAuth = clientAuthFor({
      ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
      ...(auth.clientCertificate ? { clientCertificate: auth.clientCertificate } : {}),
    });
    const fetch = createFetch({ trustedCaPem: system.trustedCaPem, ...(system.maxResponseBytes ? { maxBodyBytes: system.maxResponseBytes } : {}) });
    const authority = new Authority(auth.authority, protocolMode, fetch, auth.knownAuthorities);
    this.context = {
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
      clientAuth,
    };
  }

  static async create(config: ConfidentialClientConfiguration): Promise<ConfidentialClientApplication> {
    return new ConfidentialClientApplication(config);
  }

  /** App-only token (`account` null) for `<api>/.default`, cached per app and tenant. */
  acquireTokenByClientCredential(request: ClientCredentialRequest): Promise<ConfidentialAuthenticationResult> {
    return acquireTokenByClientCredential(this.context, request);
  }
  /** The downstream token for the user of `oboAssertion`, cached per assertion hash. */
  acquireTokenOnBehalfOf(request: OnBehalfOfRequest): Promise<ConfidentialAuthenticationResult> {
    return acquireTokenOnBehalfOf(this.context, request);
  }
  /** Web apps: the authorization URL (PKCE S256 challenge and state supplied by the app). */
  getAuthCodeUrl(request: AuthCodeUrlRequest): Promise<string> {
    return getAuthCodeUrl(this.context, request);
  }
  /** Web apps: redeem the redirect's code with the PKCE verifier and the client credential. */
  acquireTokenByCode(request: AuthCodeRequest): Promise<ConfidentialAuthenticationResult> {
    return acquireTokenByCode(this.context, request);
  }

  getTokenCache(): SerializableTokenCache {
    return this.context.cache;
  }
}
