// Accounts as MSAL derives them: homeAccountId = uid.utid from Entra's client_info when present,
// otherwise a stable value from `sub` + issuer (OIDC mode). One person in two tenants is one account
// (one Account entity) with a tenant profile per tenant.
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { AccountEntity, IdTokenEntity } from './cache/schema.js';
import type { AccountInfo, IdTokenClaims, TenantProfile } from './types.js';

export interface ClientInfo {
  uid: string;
  utid: string;
}

export function decodeClientInfo(raw: unknown): ClientInfo | undefined {
  if (typeof raw !== 'string' || !raw) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<ClientInfo>;
    if (typeof parsed.uid === 'string' && typeof parsed.utid === 'string') return { uid: parsed.uid, utid: parsed.utid };
  } catch {
    // not client_info: fall back to the ID token
  }
  return undefined;
}

const issuerTag = (iss: string): string => createHash('sha256').update(iss).digest('base64url').slice(0, 16);

export function homeAccountIdOf(claims: IdTokenClaims, clientInfo: ClientInfo | undefined): string {
  if (clientInfo) return `${clientInfo.uid}.${clientInfo.utid}`;
  return `${claims.sub}.${issuerTag(claims.iss)}`;
}

/** The realm (tenant) a token belongs to: `tid` when the IdP sends it, else the issuer's tag. */
export function realmOf(claims: IdTokenClaims): string {
  return typeof claims.tid === 'string' && claims.tid ? claims.tid : issuerTag(claims.iss);
}

export function usernameOf(claims: IdTokenClaims): string {
  return (claims.preferred_username ?? claims.email ?? claims.upn ?? claims.sub) as string;
}

export function profileOf(claims: IdTokenClaims, homeTenant: string | undefined): TenantProfile {
  const realm = realmOf(claims);
  return {
    tenantId: realm,
    localAccountId: (claims.oid as string | undefined) ?? claims.sub,
    ...(claims.name ? { name: claims.name } : {}),
    isHomeTenant: homeTenant === undefined ? true : homeTenant === realm,
  };
}

/** Builds (or extends) the Account entity for one validated sign-in. */
export function accountEntityFor(
  existing: AccountEntity | undefined,
  claims: IdTokenClaims,
  homeAccountId: string,
  environment: string,
  clientInfoRaw: string | undefined,
  protocolMode: 'entra' | 'oidc',
  nowSeconds: number,
): AccountEntity {
  const homeTenant = homeAccountId.split('.')[1];
  const profile = profileOf(claims, homeTenant);
  const profiles = new Map<string, string>();
  for (const p of existing?.tenantProfiles ?? []) {
    try {
      profiles.set((JSON.parse(p) as TenantProfile).tenantId, p);
    } catch {
      // a damaged profile is dropped, the sign-in re-creates it
    }
  }
  profiles.set(profile.tenantId, JSON.stringify(profile));
  const isHome = profile.isHomeTenant || !existing;
  const base = isHome
    ? {
        realm: profile.tenantId,
        local_account_id: profile.localAccountId,
        username: usernameOf(claims),
        ...(claims.name ? { name: claims.name } : {}),
      }
    : { realm: existing.realm, local_account_id: existing.local_account_id, username: existing.username, ...(existing.name ? { name: existing.name } : {}) };
  return {
    home_account_id: homeAccountId,
    environment,
    ...base,
    authority_type: protocolMode === 'entra' ? 'MSSTS' : 'Generic',
    ...(clientInfoRaw ? { client_info: clientInfoRaw } : existing?.client_info ? { client_info: existing.client_info } : {}),
    last_modification_time: String(nowSeconds),
    tenantProfiles: [...profiles.values()],
  };
}

/** The public AccountInfo for one Account entity, with its tenant profiles and home ID token claims. */
export function accountInfoFrom(entity: AccountEntity, idTokens: IdTokenEntity[], clientId: string, tenantId?: string): AccountInfo {
  const tenantProfiles = new Map<string, TenantProfile>();
  for (const raw of entity.tenantProfiles ?? []) {
    try {
      const p = JSON.parse(raw) as TenantProfile;
      tenantProfiles.set(p.tenantId, p);
    } catch {
      // ignore a damaged profile
    }
  }
  const realm = tenantId ?? entity.realm;
  const idToken = idTokens.find((t) => t.realm.toLowerCase() === realm.toLowerCase() && t.client_id === clientId);
  const claims = idToken ? safeDecode(idToken.secret) : undefined;
  const profile = tenantProfiles.get(realm);
  return {
    homeAccountId: entity.home_account_id,
    environment: entity.environment,
    tenantId: realm,
    username: entity.username,
    localAccountId: profile?.localAccountId ?? entity.local_account_id,
    ...(profile?.name ?? entity.name ? { name: (profile?.name ?? entity.name) as string } : {}),
    ...(claims ? { idTokenClaims: claims } : {}),
    tenantProfiles,
  };
}

const decoded = new Map<string, IdTokenClaims>();
const DECODED_MAX = 4096;

/**
 * Claims of an ID token that was validated when it was stored. Memoised (frozen, bounded): every silent
 * cache hit needs them, and decoding the same token again is most of a hit's cost.
 */
export function safeDecode(idToken: string): IdTokenClaims | undefined {
  const known = decoded.get(idToken);
  if (known) return known;
  try {
    const claims = Object.freeze(decodeJwt(idToken)) as IdTokenClaims;
    if (decoded.size >= DECODED_MAX) decoded.delete(decoded.keys().next().value!);
    decoded.set(idToken, claims);
    return claims;
  } catch {
    return undefined;
  }
}
