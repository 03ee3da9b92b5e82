// Discovery for the multi-tenant authorities `common` and `organizations`. Entra publishes the issuer
// as the literal template `…/{tenantid}/v2.0`; clients substitute the `tid` of each ID token.
//
// Only discovery and keys are served here: sign-in through `common` would need one protocol server
// that picks the tenant after login, while this IdP runs one oidc-provider per tenant. Use a tenant
// authority (`/contoso`, `/fabrikam`, or a GUID) to sign in.
import { CLAIMS_BY_SCOPE } from './claims.js';
import { OIDC_SCOPES } from './directory.js';
import { TENANT_ROUTES, type MultiTenantSegment } from './routes.js';

export const ISSUER_TEMPLATE_SEGMENT = '{tenantid}';

export function multiTenantDiscovery(baseUrl: string, segment: MultiTenantSegment): Record<string, unknown> {
  const at = (path: string) => `${baseUrl}/${segment}${path}`;
  return {
    issuer: `${baseUrl}/${ISSUER_TEMPLATE_SEGMENT}/v2.0`,
    authorization_endpoint: at(TENANT_ROUTES.authorization),
    token_endpoint: at(TENANT_ROUTES.token),
    device_authorization_endpoint: at(TENANT_ROUTES.device_authorization),
    end_session_endpoint: at(TENANT_ROUTES.end_session),
    jwks_uri: at(TENANT_ROUTES.jwks),
    userinfo_endpoint: at(TENANT_ROUTES.userinfo),
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: [...OIDC_SCOPES],
    claims_supported: [...new Set(['iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', ...Object.values(CLAIMS_BY_SCOPE).flat()])],
    request_uri_parameter_supported: false,
    tenant_region_scope: null,
    cloud_instance_name: 'localhost',
    cloud_graph_host_name: 'graph.localhost',
  };
}

export function multiTenantSignInUnsupported(segment: string): { error: string; error_description: string } {
  return {
    error: 'invalid_request',
    error_description:
      `The local IdP serves only discovery and keys for '/${segment}'. Sign in through a tenant authority ` +
      `(for example /contoso or /fabrikam).`,
  };
}
