// The local IdP's directory: tenants, demo users, the registered client and the protected APIs.
// Everything here is fixed data (no secrets worth protecting: the demo password is documented in the
// README), so the app, the engine's tests and the IdP all agree on the same names.

/** Tenant ids are fixed GUIDs so authorities, `tid` claims and cached accounts are stable across runs. */
export const TENANTS = {
  contoso: { id: '3c1b5a9e-2f4d-4c8a-9b6e-0d7f1a2b3c4d', name: 'contoso', displayName: 'Contoso' },
  fabrikam: { id: '8e2d4f6a-1b3c-4d5e-8f9a-0b1c2d3e4f5a', name: 'fabrikam', displayName: 'Fabrikam' },
  /** Its domain is federated (FEDERATED_DOMAINS): its users sign in at the federation service. */
  northwind: { id: '5d0c8b7a-3e2f-4a1b-9c8d-7e6f5a4b3c2d', name: 'northwind', displayName: 'Northwind' },
} as const;

export type TenantName = keyof typeof TENANTS;
export type Tenant = (typeof TENANTS)[TenantName];

export const TENANT_LIST: readonly Tenant[] = Object.values(TENANTS);

/** The password of every demo user (documented in the README; this IdP is for local development only). */
export const DEMO_PASSWORD = 'Passw0rd!';

/** A user's object in one tenant: their home object, or a B2B guest object with its own object id. */
export interface Membership {
  tenantId: string;
  /** The object id of this user *in this tenant* (a guest has a different oid than at home). */
  oid: string;
  kind: 'member' | 'guest';
}

export interface DemoUser {
  /** Short login name accepted on the login page and by the password grant. */
  username: string;
  /** The home UPN, used as `preferred_username` and `email` (Entra shows a guest's home UPN too). */
  upn: string;
  displayName: string;
  homeTenantId: string;
  /** Home object id: `uid` in `client_info`, whatever tenant the user signs in to. */
  homeOid: string;
  memberships: readonly Membership[];
  /**
   * A page on another origin shown after the password, before the sign-in finishes (Entra's "More
   * information required" MFA registration campaign).
   */
  interstitial?: 'register-mfa';
}

const { contoso, fabrikam, northwind } = TENANTS;

export const USERS = {
  alice: {
    username: 'alice',
    upn: 'alice@contoso.example',
    displayName: 'Alice Smith',
    homeTenantId: contoso.id,
    homeOid: 'a1ce0001-5c2e-4b1a-9f3d-7e6a5b4c3d21',
    memberships: [{ tenantId: contoso.id, oid: 'a1ce0001-5c2e-4b1a-9f3d-7e6a5b4c3d21', kind: 'member' }],
  },
  bob: {
    username: 'bob',
    upn: 'bob@contoso.example',
    displayName: 'Bob Jones',
    homeTenantId: contoso.id,
    homeOid: 'b0b00002-6d3f-4c2b-8a4e-8f7b6c5d4e32',
    memberships: [{ tenantId: contoso.id, oid: 'b0b00002-6d3f-4c2b-8a4e-8f7b6c5d4e32', kind: 'member' }],
  },
  carol: {
    username: 'carol',
    upn: 'carol@fabrikam.example',
    displayName: 'Carol Diaz',
    homeTenantId: fabrikam.id,
    homeOid: 'ca201003-7e4a-4d3c-9b5f-9a8c7d6e5f43',
    memberships: [
      { tenantId: fabrikam.id, oid: 'ca201003-7e4a-4d3c-9b5f-9a8c7d6e5f43', kind: 'member' },
      // B2B guest in contoso: signing in to contoso, her tokens carry contoso's tid and this oid.
      { tenantId: contoso.id, oid: 'ca201004-8f5b-4e4d-8c6a-ab9d8e7f6054', kind: 'guest' },
    ],
  },
  /** Federated: northwind.example's users authenticate at the federation service, never at the authority. */
  dave: {
    username: 'dave',
    upn: 'dave@northwind.example',
    displayName: 'Dave Patel',
    homeTenantId: northwind.id,
    homeOid: 'da7e0005-9a6c-4f5e-8d7b-bc0e9f8a7165',
    memberships: [{ tenantId: northwind.id, oid: 'da7e0005-9a6c-4f5e-8d7b-bc0e9f8a7165', kind: 'member' }],
  },
  /** Gets the "More information required" interstitial (another origin) after every password sign-in. */
  erin: {
    username: 'erin',
    upn: 'erin@contoso.example',
    displayName: 'Erin Lee',
    homeTenantId: contoso.id,
    homeOid: 'e41a0006-ab7d-4a6f-9e8c-cd1fa09b8276',
    memberships: [{ tenantId: contoso.id, oid: 'e41a0006-ab7d-4a6f-9e8c-cd1fa09b8276', kind: 'member' }],
    interstitial: 'register-mfa',
  },
} as const satisfies Record<string, DemoUser>;

export type UserName = keyof typeof USERS;

export const USER_LIST: readonly DemoUser[] = Object.values(USERS);

/**
 * Domains whose users the authority does not authenticate itself: home realm discovery by the UPN
 * suffix sends them to the tenant's federation service (idp/federation.ts), as Entra does for a
 * federated domain (ADFS and the like).
 */
export const FEDERATED_DOMAINS: Readonly<Record<string, { tenantId: string; serviceName: string }>> = {
  'northwind.example': { tenantId: northwind.id, serviceName: 'Northwind Federation Services' },
};

/** Registered clients. Only the public desktop client exists today; confidential ones come with issue 7. */
export const CLIENT_IDS = {
  desktop: 'desktop-sample',
} as const;

/**
 * Paths registered for the desktop client's loopback redirects, on both `http://127.0.0.1` and
 * `http://localhost` with any port (RFC 8252 §7.3; oidc-provider matches the path exactly).
 */
export const LOOPBACK_REDIRECT_PATHS = ['/', '/callback', '/redirect'] as const;

/** Scopes that are about the user's sign-in rather than an API (Entra calls them OIDC scopes). */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

export interface ProtectedApi {
  /** Resource indicator (RFC 8707) used inside oidc-provider. */
  resource: string;
  /** `aud` of its access tokens. */
  audience: string;
  displayName: string;
  /** Scope strings exactly as clients request them and as `scope`/`scp` report them. */
  scopes: readonly string[];
}

/**
 * The two protected APIs. Entra gives Graph short scope names (`User.Read`) and custom APIs full
 * `api://…/scope` names; one access token is always for exactly one of them.
 */
export const APIS = {
  graph: {
    resource: 'https://graph.localhost',
    audience: 'https://graph.localhost',
    displayName: 'Graph-like API',
    scopes: ['User.Read'],
  },
  sampleApi: {
    resource: 'api://sample-api',
    audience: 'api://sample-api',
    displayName: 'Sample API',
    scopes: ['api://sample-api/access_as_user'],
  },
} as const satisfies Record<string, ProtectedApi>;

export const API_LIST: readonly ProtectedApi[] = Object.values(APIS);

export const SCOPES = {
  userRead: APIS.graph.scopes[0],
  sampleApi: APIS.sampleApi.scopes[0],
} as const;

/** Tenant by GUID or by name (case-insensitive), as the authority path segment allows either. */
export function findTenant(segment: string): Tenant | undefined {
  const s = segment.toLowerCase();
  return TENANT_LIST.find((t) => t.id === s || t.name === s);
}

/** What a login name resolves to inside one tenant: the person and their object there. */
export interface TenantUser {
  user: DemoUser;
  membership: Membership;
}

/** Accepts the short name (`alice`) or the UPN (`alice@contoso.example`), case-insensitively. */
export function findUserByLogin(tenantId: string, login: string): TenantUser | undefined {
  const l = login.trim().toLowerCase();
  const user = USER_LIST.find((u) => u.username === l || u.upn.toLowerCase() === l);
  return user && membershipIn(user, tenantId);
}

/** Account ids inside a tenant's provider are the user's object id in that tenant. */
export function findUserByOid(tenantId: string, oid: string): TenantUser | undefined {
  for (const user of USER_LIST) {
    const membership = user.memberships.find((m) => m.tenantId === tenantId && m.oid === oid);
    if (membership) return { user, membership };
  }
  return undefined;
}

function membershipIn(user: DemoUser, tenantId: string): TenantUser | undefined {
  const membership = user.memberships.find((m) => m.tenantId === tenantId);
  return membership && { user, membership };
}

/**
 * Home realm discovery: the federated domain a login name (`dave`, `dave@northwind.example`) or a
 * `domain_hint` (`northwind.example`) belongs to, when that domain is federated *by this tenant*.
 * A UPN of an unknown user still discovers by its suffix (the federation service then refuses it).
 */
export function federatedDomainFor(tenantId: string, loginOrDomain: string): string | undefined {
  const l = loginOrDomain.trim().toLowerCase();
  if (!l) return undefined;
  const domain = l.includes('@') ? l.slice(l.lastIndexOf('@') + 1) : (findUserByLogin(tenantId, l)?.user.upn.split('@')[1] ?? l);
  return Object.hasOwn(FEDERATED_DOMAINS, domain) && FEDERATED_DOMAINS[domain]!.tenantId === tenantId ? domain : undefined;
}
