// Accounts as MSAL derives them: homeAccountId = uid.utid from Entra's client_info when present,
// otherwise a stable value from `sub` + issuer (OIDC mode). One person in two tenants is one account
// (one Account entity, keyed and realmed by the home tenant) with a tenant profile per tenant, and one
// AccountInfo per tenant profile when read back: exactly what msal-node writes and reads.
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

/**
 * A tenant profile as msal-common's buildTenantProfile makes it from an ID token (same fields, same
 * order, so a profile we write reads in msal-node exactly as one it wrote itself).
 */
export function profileOf(claims: IdTokenClaims, homeAccountId: string): TenantProfile {
  const tenantId = realmOf(claims);
  const username = claims.preferred_username ?? claims.upn;
  return {
    tenantId,
    localAccountId: (claims.oid as string | undefined) ?? claims.sub,
    ...(claims.name ? { name: claims.name } : {}),
    ...(typeof username === 'string' && username ? { username } : {}),
    ...(claims.login_hint ? { loginHint: claims.login_hint } : {}),
    isHomeTenant: isHomeTenant(tenantId, homeAccountId),
    ...(typeof claims.upn === 'string' && claims.upn ? { upn: claims.upn } : {}),
  };
}

/** msal's tenantIdMatchesHomeTenant: the home tenant is the `utid` half of the home account id. */
const isHomeTenant = (tenantId: string, homeAccountId: string): boolean => tenantId === homeAccountId.split('.')[1];

/**
 * Builds (or extends) the Account entity for one validated sign-in, as msal-common does: the entity is
 * the person's home identity (realm = `utid` of client_info, local_account_id = `uid`), whichever tenant
 * they signed in to, and every tenant they signed in to is a tenant profile. A B2B guest's first sign-in
 * therefore stores her home tenant as realm and the guest tenant only as a profile.
 */
export function accountEntityFor(
  existing: AccountEntity | undefined,
  claims: IdTokenClaims,
  homeAccountId: string,
  environment: string,
  clientInfoRaw: string | undefined,
  protocolMode: 'entra' | 'oidc',
  nowSeconds: number,
): AccountEntity {
  const clientInfo = decodeClientInfo(clientInfoRaw);
  const profile = profileOf(claims, homeAccountId);
  const profiles = new Map<string, string>();
  for (const p of existing?.tenantProfiles ?? []) {
    const parsed = parseProfile(p);
    if (parsed) profiles.set(parsed.tenantId, p); // a damaged profile is dropped, the sign-in re-creates it
  }
  profiles.set(profile.tenantId, JSON.stringify(profile));
  // The base fields describe the home identity: taken from a home sign-in, or from the first sign-in
  // of all (msal does the same), and otherwise left as they are.
  const base =
    existing && !profile.isHomeTenant
      ? { realm: existing.realm, local_account_id: existing.local_account_id, username: existing.username, ...(existing.name ? { name: existing.name } : {}) }
      : {
          realm: clientInfo?.utid ?? profile.tenantId,
          local_account_id: clientInfo?.uid ?? profile.localAccountId,
          username: usernameOf(claims),
          ...(claims.name ? { name: claims.name } : {}),
        };
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

function parseProfile(raw: string): TenantProfile | undefined {
  try {
    const p = JSON.parse(raw) as Partial<TenantProfile> | null;
    if (p && typeof p.tenantId === 'string' && p.tenantId && typeof p.localAccountId === 'string') return p as TenantProfile;
  } catch {
    // not JSON: ignored
  }
  return undefined;
}

/** The entity's tenant profiles by tenant; an entity without any (older caches) has its realm as the one. */
function profilesOf(entity: AccountEntity): Map<string, TenantProfile> {
  const profiles = new Map<string, TenantProfile>();
  for (const raw of entity.tenantProfiles ?? []) {
    const p = parseProfile(raw);
    if (p) profiles.set(p.tenantId, { ...p, isHomeTenant: typeof p.isHomeTenant === 'boolean' ? p.isHomeTenant : isHomeTenant(p.tenantId, entity.home_account_id) });
  }
  if (profiles.size === 0 && entity.realm && entity.local_account_id) {
    profiles.set(entity.realm, { tenantId: entity.realm, localAccountId: entity.local_account_id, isHomeTenant: isHomeTenant(entity.realm, entity.home_account_id) });
  }
  return profiles;
}

/**
 * The public AccountInfo objects of one Account entity: one per tenant profile, as msal-node's
 * getAllAccounts returns them (same homeAccountId; tenantId, localAccountId, name, username and claims
 * from that tenant's profile and ID token). Silent calls then look up that tenant's tokens.
 */
export function accountInfosFrom(entity: AccountEntity, idTokens: IdTokenEntity[], clientId: string): AccountInfo[] {
  const profiles = profilesOf(entity);
  return [...profiles.values()].map((p) => tenantedAccountInfo(entity, profiles, p, idTokens, clientId));
}

/** The AccountInfo of one tenant of the entity (after a sign-in or a silent call in that tenant). */
export function accountInfoFrom(entity: AccountEntity, idTokens: IdTokenEntity[], clientId: string, tenantId?: string): AccountInfo {
  const profiles = profilesOf(entity);
  const tenant = tenantId ?? entity.realm;
  const profile = [...profiles.values()].find((p) => p.tenantId.toLowerCase() === tenant.toLowerCase()) ?? {
    tenantId: tenant,
    localAccountId: entity.local_account_id,
    isHomeTenant: isHomeTenant(tenant, entity.home_account_id),
  };
  return tenantedAccountInfo(entity, profiles, profile, idTokens, clientId);
}

/** msal-common's updateAccountTenantProfileData: entity, overridden by the profile, overridden by its ID token. */
function tenantedAccountInfo(
  entity: AccountEntity,
  profiles: Map<string, TenantProfile>,
  profile: TenantProfile,
  idTokens: IdTokenEntity[],
  clientId: string,
): AccountInfo {
  const idToken = idTokens.find((t) => t.realm.toLowerCase() === profile.tenantId.toLowerCase() && t.client_id === clientId);
  const claims = idToken ? safeDecode(idToken.secret) : undefined;
  const fromClaims = claims ? profileOf(claims, entity.home_account_id) : undefined;
  const name = fromClaims?.name ?? profile.name ?? entity.name;
  return {
    homeAccountId: entity.home_account_id,
    environment: entity.environment,
    tenantId: profile.tenantId,
    username: fromClaims?.username ?? profile.username ?? entity.username,
    localAccountId: fromClaims?.localAccountId ?? profile.localAccountId ?? entity.local_account_id,
    ...(name ? { name } : {}),
    ...(claims ? { idTokenClaims: claims } : {}),
    tenantProfiles: new Map(profiles),
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
