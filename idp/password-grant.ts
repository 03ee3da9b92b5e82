// Resource Owner Password Credentials (`grant_type=password`), which Entra still offers and MSAL's
// acquireTokenByUsernamePassword uses. oidc-provider has no such grant, so it is a custom grant type
// issuing the same token response as the other grants.
//
// Deviation from Entra: Entra refuses ROPC when the user has not consented yet (AADSTS65001); this
// local IdP records the consent instead, so the password flow works on a fresh IdP without a browser.
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { isDisabled, accountFinder } from './accounts.js';
import { DEMO_PASSWORD, findUserByLogin, OIDC_SCOPES, type Tenant } from './directory.js';
import { findUserGrant } from './grants.js';
import { apiForScope, resourcesForScopes, splitScopes } from './resources.js';
import { resourceServerInfo } from './resource-servers.js';
import type { IdpSettings } from './settings.js';
import type { MemoryStore } from './store.js';

export const PASSWORD_GRANT = 'password';
export const PASSWORD_GRANT_PARAMS = ['username', 'password', 'scope'] as const;

/** Entra's wording, so apps that show the server's description show a familiar sentence. */
export const WRONG_CREDENTIALS = 'AADSTS50126: Error validating credentials due to invalid username or password.';
export const USER_DISABLED = 'AADSTS50057: The user account is disabled.';

const OIDC = new Set<string>(OIDC_SCOPES);

/** errors.InvalidGrant hides its text behind "grant request is invalid"; this one shows it. */
function invalidGrant(description: string) {
  return new errors.CustomOIDCProviderError('invalid_grant', description);
}

export function passwordGrant(tenant: Tenant, settings: IdpSettings, store: MemoryStore) {
  const findAccount = accountFinder(tenant.id, settings);

  return async function passwordGrantHandler(ctx: KoaContextWithOIDC): Promise<void> {
    const params = ctx.oidc.params as Record<string, string | undefined>;
    if (!params.username || !params.password) throw new errors.InvalidRequest('username and password are required');

    const tu = findUserByLogin(tenant.id, params.username);
    if (!tu || params.password !== DEMO_PASSWORD) throw invalidGrant(WRONG_CREDENTIALS);
    if (isDisabled(settings, tu)) throw invalidGrant(USER_DISABLED);

    const provider = ctx.oidc.provider as Provider;
    const client = ctx.oidc.client!;
    const accountId = tu.membership.oid;
    const scopes = splitScopes(params.scope);
    const oidcScopes = scopes.filter((s) => OIDC.has(s));
    const apiScopes = scopes.filter((s) => apiForScope(s));
    const resources = resourcesForScopes(apiScopes);
    const resource = resources[0]; // one resource per access token, as Entra

    const grant =
      (await findUserGrant(provider, store, tenant.id, accountId, client.clientId)) ??
      new provider.Grant({ accountId, clientId: client.clientId });
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    for (const r of resources) grant.addResourceScope(r, apiScopes.filter((s) => apiForScope(s)?.resource === r).join(' '));
    const grantId = await grant.save();

    const account = await findAccount(ctx, accountId);
    if (!account) throw invalidGrant(USER_DISABLED);
    ctx.oidc.entity('Account', account);
    ctx.oidc.entity('Grant', grant);

    const at = new provider.AccessToken({ accountId, client, grantId, gty: PASSWORD_GRANT });
    if (resource) {
      at.resourceServer = new provider.ResourceServer(resource, resourceServerInfo(resource));
      at.scope = grant.getResourceScopeFiltered(resource, apiScopes);
    } else {
      at.scope = grant.getOIDCScopeFiltered(new Set(oidcScopes));
    }
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    const rt = new provider.RefreshToken({
      accountId,
      client,
      grantId,
      gty: PASSWORD_GRANT,
      scope: scopes.join(' '),
      resource: resources.length > 1 ? resources : resource,
      rotations: 0,
      authTime: Math.floor(Date.now() / 1000),
      amr: ['pwd'],
    } as ConstructorParameters<typeof provider.RefreshToken>[0]);
    const refreshToken = await rt.save();

    let idToken: string | undefined;
    if (oidcScopes.includes('openid')) {
      const token = new provider.IdToken(
        { ...(await account.claims('id_token', oidcScopes.join(' '), {}, [])), amr: ['pwd'], auth_time: Math.floor(Date.now() / 1000) },
        { ctx },
      );
      // The ID token releases the claims of the scopes set here (untyped in @types/oidc-provider).
      (token as unknown as { scope: string }).scope = grant.getOIDCScopeFiltered(new Set(oidcScopes));
      idToken = await token.issue({ use: 'idtoken' });
    }

    ctx.body = {
      access_token: accessToken,
      token_type: at.tokenType ?? 'Bearer',
      expires_in: at.expiration,
      scope: at.scope,
      refresh_token: refreshToken,
      ...(idToken ? { id_token: idToken } : {}),
    };
  };
}
