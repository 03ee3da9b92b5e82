// Entra-shaped claims for a user signed in to one tenant. Pure functions: easy to test, no provider state.
import type { TenantUser } from './directory.js';

/** Claims oidc-provider may put in ID tokens, grouped by the scope that releases them. */
export const CLAIMS_BY_SCOPE = {
  // Entra always puts oid, tid and ver in a v2.0 ID token, so they ride on `openid`.
  openid: ['sub', 'oid', 'tid', 'ver'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
} as const;

export interface EntraClaims {
  sub: string;
  oid: string;
  tid: string;
  ver: '2.0';
  name: string;
  preferred_username: string;
  email: string;
}

/**
 * `tid` is the tenant signed in to (a guest's is the host tenant) and `oid` the object there; the
 * name and UPN are the person's home ones, as Entra shows them for guests too.
 */
export function entraClaims({ user, membership }: TenantUser): EntraClaims {
  return {
    sub: membership.oid,
    oid: membership.oid,
    tid: membership.tenantId,
    ver: '2.0',
    name: user.displayName,
    preferred_username: user.upn,
    email: user.upn,
  };
}

/** Entra's `client_info`: base64url JSON of the *home* identity, which MSAL uses as the account key. */
export function clientInfo({ user }: TenantUser): string {
  return Buffer.from(JSON.stringify({ uid: user.homeOid, utid: user.homeTenantId })).toString('base64url');
}
