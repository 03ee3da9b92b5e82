// ConfidentialClientApplication: msal-node's confidential client surface (daemons, web APIs, web apps)
// over the same engine as the public client: authority discovery, pinned HTTP, JWKS and ID token
// validation, the MSAL-schema TokenCache and the typed errors. Only the credential is new: every token
// request authenticates the client with a secret or a certificate (confidential/client-assertion.ts).
import { createEngineContext, type CommonClientConfiguration } from './create-engine-context.js';
import { clientAuthFor, type ClientCertificate } from './confidential/client-assertion.js';
import { acquireTokenByClientCredential, type ClientCredentialRequest, type ConfidentialContext } from './flows/client-credential.js';
import { acquireTokenOnBehalfOf, type OnBehalfOfRequest } from './flows/on-behalf-of.js';
import { acquireTokenByCode, getAuthCodeUrl, type AuthCodeRequest, type AuthCodeUrlRequest } from './flows/auth-code-web.js';
import type { SerializableTokenCache } from './cache/persistence.js';
import type { ConfidentialAuthenticationResult } from './types.js';

export interface ConfidentialClientConfiguration extends CommonClientConfiguration {
  auth: CommonClientConfiguration['auth'] & {
    /** Exactly one of clientSecret and clientCertificate. */
    clientSecret?: string;
    clientCertificate?: ClientCertificate;
  };
}

export class ConfidentialClientApplication {
  /** The flows' shared state (client credentials included): never handed out, as in PublicClientApplication. */
  readonly #context: ConfidentialContext;

  private constructor(config: ConfidentialClientConfiguration) {
    const { auth } = config;
    const engine = createEngineContext(config);
    const clientAuth = clientAuthFor({
      ...(auth.clientSecret ? { clientSecret: auth.clientSecret } : {}),
      ...(auth.clientCertificate ? { clientCertificate: auth.clientCertificate } : {}),
    });
    this.#context = { ...engine, clientAuth };
  }

  static async create(config: ConfidentialClientConfiguration): Promise<ConfidentialClientApplication> {
    return new ConfidentialClientApplication(config);
  }

  /** App-only token (`account` null) for `<api>/.default`, cached per app and tenant. */
  acquireTokenByClientCredential(request: ClientCredentialRequest): Promise<ConfidentialAuthenticationResult> {
    return acquireTokenByClientCredential(this.#context, request);
  }
  /** The downstream token for the user of `oboAssertion`, cached per assertion hash. */
  acquireTokenOnBehalfOf(request: OnBehalfOfRequest): Promise<ConfidentialAuthenticationResult> {
    return acquireTokenOnBehalfOf(this.#context, request);
  }
  /** Web apps: the authorization URL (PKCE S256 challenge and state supplied by the app). */
  getAuthCodeUrl(request: AuthCodeUrlRequest): Promise<string> {
    return getAuthCodeUrl(this.#context, request);
  }
  /** Web apps: redeem the redirect's code with the PKCE verifier and the client credential. */
  acquireTokenByCode(request: AuthCodeRequest): Promise<ConfidentialAuthenticationResult> {
    return acquireTokenByCode(this.#context, request);
  }

  getTokenCache(): SerializableTokenCache {
    return this.#context.cache;
  }
}
