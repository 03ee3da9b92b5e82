// oidc-provider's account model on top of the directory: an account id is the user's object id in the
// tenant the provider serves.
import type { Account, KoaContextWithOIDC } from 'oidc-provider';
import { entraClaims } from './claims.js';
import { findUserByOid, type TenantUser } from './directory.js';
import type { IdpSettings } from './settings.js';

export function isDisabled(settings: IdpSettings, tu: TenantUser): boolean {
  return settings.disabledUsers.has(tu.user.username);
}

/** Disabled users are "not found": oidc-provider then fails their refresh tokens with invalid_grant. */
export function accountFinder(tenantId: string, settings: IdpSettings) {
  return async function findAccount(_ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> {
    const tu = findUserByOid(tenantId, sub);
    if (!tu || isDisabled(settings, tu)) return undefined;
    const claims = entraClaims(tu);
    return { accountId: sub, claims: async () => ({ ...claims }) };
  };
}
