// One oidc-provider instance per tenant, configured to look like Entra ID v2.0 for that tenant.
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { accountFinder } from './accounts.js';
import { CLAIMS_BY_SCOPE } from './claims.js';
import { desktopClient } from './clients.js';
import { appOnlyClaims, isAppOnly } from './client-credentials.js';
import { confidentialClients, type ConfidentialClientOptions } from './confidential-clients.js';
import { OBO_GRANT, OBO_GRANT_PARAMS, oboGrant } from './obo-grant.js';
import type { DeviceCodePacer } from './device-pacing.js';
import { findUserByLogin, findUserByOid, OIDC_SCOPES, type Tenant } from './directory.js';
import { entraShape, rememberErrorDetail } from './entra-shape.js';
import { existingGrantLoader } from './grants.js';
import { PASSWORD_GRANT, PASSWORD_GRANT_PARAMS, passwordGrant } from './password-grant.js';
import { devicePages, logoutPages, renderError } from './provider-pages.js';
import { resourceServerInfo } from './resource-servers.js';
import { chooseResource, splitScopes } from './resources.js';
import type { IdpSettings } from './settings.js';
import type { SigningMaterial } from './signing-keys.js';
import type { MemoryStore } from './store.js';
import { TENANT_ROUTES } from './routes.js';

export { TENANT_ROUTES };


export function issuerFor(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/${tenantId}/v2.0`;
}

export interface TenantProviderDeps {
  baseUrl: string;
  tenant: Tenant;
  settings: IdpSettings;
  store: MemoryStore;
  keys: SigningMaterial;
  pacer: DeviceCodePacer;
  /** Confidential clients' options (issue 7): e.g. the daemon's certificate public key. */
  confidential?: ConfidentialClientOptions;
}

/**
 * oidc-provider's default prompts, adjusted to Entra's:
 * - `prompt=select_account` is accepted (MSAL apps send it); with no account picker here it shows the
 *   login form, where any account can be chosen;
 * - no consent check asking native clients for consent on every sign-in (`native_client_prompt`):
 *   Entra asks once per user and app, then remembers;
 * - a `login_hint` naming someone other than the signed-in user asks for sign-in (an app asking consent
 *   for one of several accounts must not get the token of whoever signed in last).
 */
export function entraPolicy(tenantId: string) {
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(
    new interactionPolicy.Check('login_hint_other_user', 'login_hint names another user than the session', (ctx) => {
      const hint = ctx.oidc.params?.login_hint;
      const sessionAccount = ctx.oidc.session?.accountId;
      if (typeof hint !== 'string' || !sessionAccount) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const hinted = findUserByLogin(tenantId, hint);
      return hinted?.membership.oid === sessionAccount ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    }),
  );
  policy.add(new interactionPolicy.Prompt({ name: 'select_account', requestable: true }), 0);
  const consent = policy.get('consent');
  consent?.checks.remove('native_client_prompt');
  return policy;
}

export function createTenantProvider(deps: TenantProviderDeps): Provider {
  const { baseUrl, tenant, settings, store, keys, pacer } = deps;
  const lifetime = settings.lifetimes; // read at issue time, so controls take effect immediately
  const short = tenant.name;

  const configuration: Configuration = {
    adapter: store.adapterFor(tenant.id),
    clients: [desktopClient(), ...confidentialClients(deps.confidential)],
    jwks: keys.jwks as Configuration['jwks'],
    cookies: {
      keys: keys.cookieKeys,
      // Tenants share the host, so their cookies need distinct names.
      names: { session: `_session_${short}`, interaction: `_interaction_${short}`, resume: `_resume_${short}` },
    },
    claims: Object.fromEntries(Object.entries(CLAIMS_BY_SCOPE).map(([k, v]) => [k, [...v]])),
    scopes: [...OIDC_SCOPES],
    responseTypes: ['code'],
    // Entra puts the profile claims in the ID token even when an access token is issued too.
    conformIdTokenClaims: false,
    findAccount: accountFinder(tenant.id, settings),
    loadExistingGrant: existingGrantLoader(store, tenant.id),
    interactions: { url: (_ctx, interaction) => `/${tenant.id}/interaction/${interaction.uid}`, policy: entraPolicy(tenant.id) },
    routes: { ...TENANT_ROUTES },
    pkce: { required: () => true },
    // MSAL always asks for offline_access, but oidc-provider drops it from code flows without
    // prompt=consent; the desktop client is allowed refresh tokens, so always issue one (as Entra).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true,
    renderError,
    extraTokenClaims: async (_ctx, token) => {
      // App-only tokens (client credentials): roles, no user, no scp.
      if (isAppOnly(token)) return { ver: '2.0', tid: tenant.id, azp: token.clientId, ...appOnlyClaims(token) };
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const tu = accountId ? findUserByOid(tenant.id, accountId) : undefined;
      return {
        ver: '2.0',
        tid: tenant.id,
        azp: token.clientId,
        ...(tu ? { oid: tu.membership.oid, preferred_username: tu.user.upn, name: tu.user.displayName } : {}),
        ...(token.scope ? { scp: token.scope } : {}),
      };
    },
    clientBasedCORS: (_ctx, origin) => /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(origin),
    ttl: {
      AccessToken: () => lifetime.accessToken,
      ClientCredentials: () => lifetime.accessToken,
      IdToken: () => lifetime.idToken,
      RefreshToken: () => lifetime.refreshToken,
      AuthorizationCode: () => lifetime.authorizationCode,
      DeviceCode: () => lifetime.deviceCode,
      Session: () => lifetime.session,
      Interaction: () => 3600,
      Grant: () => 365 * 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      deviceFlow: { enabled: true, ...devicePages },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, ...logoutPages },
      resourceIndicators: {
        enabled: true,
        // Entra picks the resource from the scopes; clients never send RFC 8707 `resource`.
        defaultResource: async (ctx: KoaContextWithOIDC, _client, oneOf?: readonly string[]) =>
          chooseResource(splitScopes(ctx.oidc.params?.scope), oneOf),
        getResourceServerInfo: async (_ctx, resource) => resourceServerInfo(resource),
        useGrantedResource: async () => true,
      },
    },
  };

  const provider = new Provider(issuerFor(baseUrl, tenant.id), configuration);
  provider.registerGrantType(PASSWORD_GRANT, passwordGrant(tenant, settings, store), [...PASSWORD_GRANT_PARAMS]);
  provider.registerGrantType(
    OBO_GRANT,
    oboGrant({ tenant, issuer: issuerFor(baseUrl, tenant.id), settings, signingKeys: keys.jwks.keys }),
    [...OBO_GRANT_PARAMS],
  );
  provider.use(entraShape(tenant, settings, pacer));
  provider.on('grant.error', rememberErrorDetail);
  return provider;
}
