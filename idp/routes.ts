// Where a request goes, decided from its path alone (pure, unit-tested).
import { findTenant, type Tenant } from './directory.js';

/** Paths inside a tenant, as Entra names them (the tenant segment is added by mounting). */
export const TENANT_ROUTES = {
  authorization: '/oauth2/v2.0/authorize',
  token: '/oauth2/v2.0/token',
  device_authorization: '/oauth2/v2.0/devicecode',
  code_verification: '/oauth2/v2.0/deviceauth',
  end_session: '/oauth2/v2.0/logout',
  jwks: '/discovery/v2.0/keys',
  userinfo: '/oidc/userinfo',
  revocation: '/oauth2/v2.0/revoke',
} as const;

export const MULTI_TENANT_SEGMENTS = ['common', 'organizations'] as const;
export type MultiTenantSegment = (typeof MULTI_TENANT_SEGMENTS)[number];

export const ENTRA_DISCOVERY_PATH = '/v2.0/.well-known/openid-configuration';
const OIDC_DISCOVERY_PATH = '/.well-known/openid-configuration';

export type Route =
  | { kind: 'root' }
  | { kind: 'interaction'; tenant: Tenant; uid: string; action: string | undefined }
  /** `providerPath` is the path inside the tenant's provider (which is mounted at /<guid>). */
  | { kind: 'tenant'; tenant: Tenant; providerPath: string }
  | { kind: 'multi-tenant'; segment: MultiTenantSegment; rest: string }
  | { kind: 'unknown-tenant'; segment: string };

export function routeOf(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { kind: 'root' };
  const slash = pathname.indexOf('/', 1);
  const segment = decodeURIComponent(slash === -1 ? pathname.slice(1) : pathname.slice(1, slash));
  const rest = slash === -1 ? '' : pathname.slice(slash);

  const multi = MULTI_TENANT_SEGMENTS.find((s) => s === segment.toLowerCase());
  if (multi) return { kind: 'multi-tenant', segment: multi, rest };

  const tenant = findTenant(segment);
  if (!tenant) return { kind: 'unknown-tenant', segment };

  // login/confirm/abort: our forms; federated: the federation service's post-back; continue: back from the interstitial.
  const interaction = /^\/interaction\/([\w-]+)(?:\/(login|confirm|abort|federated|continue))?$/.exec(rest);
  if (interaction) return { kind: 'interaction', tenant, uid: interaction[1]!, action: interaction[2] };

  // Entra's discovery lives under /v2.0/; oidc-provider serves it at its root.
  const providerPath = rest === ENTRA_DISCOVERY_PATH ? OIDC_DISCOVERY_PATH : rest || '/';
  return { kind: 'tenant', tenant, providerPath };
}
