// Confidential client registrations (issue 7): the sample API (a web API calling Graph on behalf of its
// caller, and a web app signing users in with auth code) and a daemon (app-only, client credentials).
// The secrets are DEVELOPMENT-ONLY values documented in idp/sample-api/README.md: this IdP runs on
// loopback for local development and tests, so they protect nothing worth protecting.
import type { ClientMetadata } from 'oidc-provider';
import type { JsonWebKey } from 'node:crypto';
import { APIS } from './directory.js';

export const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export const CONFIDENTIAL_CLIENT_IDS = {
  sampleApi: 'sample-api',
  daemon: 'sample-daemon',
  /** The daemon with a certificate (private_key_jwt); registered only when a public key is given. */
  daemonCert: 'sample-daemon-cert',
} as const;

export const DEV_SECRETS = {
  sampleApi: 'sample-api-dev-secret',
  daemon: 'daemon-dev-secret',
} as const;

/** Where the sample API, acting as a web app, receives its authorization code (exact match, as Entra). */
export const SAMPLE_API_REDIRECT_URIS = ['http://localhost:5050/auth/callback', 'http://127.0.0.1:5050/auth/callback'] as const;

/** App roles of the sample API (Entra: appRoles of the API's registration, granted by an admin). */
export const SAMPLE_API_ROLES = { dataReadAll: 'Data.Read.All' } as const;

/**
 * App role assignments: client id → resource → roles. Entra puts these in the `roles` claim of app-only
 * tokens; a client without an assignment gets a token without roles (and the API refuses it).
 */
export const APP_ROLE_ASSIGNMENTS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  [CONFIDENTIAL_CLIENT_IDS.daemon]: { [APIS.sampleApi.resource]: [SAMPLE_API_ROLES.dataReadAll] },
  [CONFIDENTIAL_CLIENT_IDS.daemonCert]: { [APIS.sampleApi.resource]: [SAMPLE_API_ROLES.dataReadAll] },
};

/** Object ids of the clients' service principals: `oid`/`sub` of their app-only tokens, as in Entra. */
export const SERVICE_PRINCIPAL_OIDS: Readonly<Record<string, string>> = {
  [CONFIDENTIAL_CLIENT_IDS.sampleApi]: '5a301e00-0000-4000-8000-000000000001',
  [CONFIDENTIAL_CLIENT_IDS.daemon]: 'dae30000-0000-4000-8000-000000000002',
  [CONFIDENTIAL_CLIENT_IDS.daemonCert]: 'dae30000-0000-4000-8000-000000000003',
};

/** The API a confidential client exposes: an OBO assertion must be a token for it (Entra: aud = app). */
export const OWNED_API: Readonly<Record<string, string>> = {
  [CONFIDENTIAL_CLIENT_IDS.sampleApi]: APIS.sampleApi.audience,
};

export function rolesFor(clientId: string, resource: string | undefined): string[] {
  return resource ? [...(APP_ROLE_ASSIGNMENTS[clientId]?.[resource] ?? [])] : [];
}

export interface ConfidentialClientOptions {
  /** Public JWK(s) of the daemon's certificate key: registers `sample-daemon-cert` (private_key_jwt). */
  daemonPublicJwks?: JsonWebKey[];
}

export function sampleApiClient(): ClientMetadata {
  return {
    client_id: CONFIDENTIAL_CLIENT_IDS.sampleApi,
    client_name: 'Sample API',
    client_secret: DEV_SECRETS.sampleApi,
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: [OBO_GRANT, 'authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [...SAMPLE_API_REDIRECT_URIS],
  };
}

export function daemonClients(options: ConfidentialClientOptions = {}): ClientMetadata[] {
  const appOnly = { application_type: 'web' as const, grant_types: ['client_credentials'], response_types: [], redirect_uris: [] };
  const clients: ClientMetadata[] = [
    {
      client_id: CONFIDENTIAL_CLIENT_IDS.daemon,
      client_name: 'Sample daemon',
      client_secret: DEV_SECRETS.daemon,
      token_endpoint_auth_method: 'client_secret_post',
      ...appOnly,
    },
  ];
  // oidc-provider allows one authentication method per client, where Entra lets an app hold secrets
  // and certificates at once; the certificate daemon is therefore its own registration.
  if (options.daemonPublicJwks?.length) {
    clients.push({
      client_id: CONFIDENTIAL_CLIENT_IDS.daemonCert,
      client_name: 'Sample daemon (certificate)',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS256',
      jwks: { keys: options.daemonPublicJwks as never },
      ...appOnly,
    });
  }
  return clients;
}

export function confidentialClients(options: ConfidentialClientOptions = {}): ClientMetadata[] {
  return [sampleApiClient(), ...daemonClients(options)];
}
