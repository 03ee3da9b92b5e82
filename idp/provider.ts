// One oidc-provider instance per tenant, configured to look like Entra ID v2.0 for that tenant.
import Provider, { interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { accountFinder } from './accounts.js';
import { accessTokenClaimsRequest, acrsOf, stepUpReason } from './cae.js';
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
import { chooseResource, scpOf, splitScopes } from './resources.js';
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
  /** The device login page on its own origin (off-origin/device-login.ts): the device flow's verification_uri. */
  deviceLoginUrl?: string;
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
  // A claims request asking an authentication context (`acrs`) the session has not satisfied, or a sign-in
  // newer than `nbf` (a CAE challenge after revocation), needs a fresh sign-in, as Entra's step-up does.
  policy.get('login')?.checks.add(
    new interactionPolicy.Check('claims_step_up', 'the claims request needs a fresh sign-in', (ctx) => {
      const session = ctx.oidc.session;
      if (!session?.accountId) return interactionPolicy.Check.NO_NEED_TO_PROMPT; // no session: login is asked anyway
      const reason = stepUpReason(accessTokenClaimsRequest(ctx.oidc.params?.claims), { acr: session.acr, authTime: session.authTime() });
      return reason ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
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
    // oidc-provider marks a redeemed refresh token consumed and treats a consumed one coming back as
    // reuse (revoking the grant). With reuse allowed (Entra's way) the store records no consumption, so
    // every redemption still rotates (a new refresh token) and the older ones keep working.
    adapter: store.adapterFor(tenant.id, (model) => model === 'RefreshToken' && settings.refreshTokenReuse === 'allow'),
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
    // Entra's `claims` (access_token: xms_cc, acrs, nbf) is read by cae.ts: oidc-provider's own
    // claimsParameter feature would refuse a claims object without id_token/userinfo, as MSAL sends.
    // `domain_hint` is Entra's home realm discovery hint: interactions.ts sends a federated domain on.
    extraParams: ['claims', 'domain_hint'],
    // MSAL always asks for offline_access, but oidc-provider drops it from code flows without
    // prompt=consent; the desktop client is allowed refresh tokens, so always issue one (as Entra).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    rotateRefreshToken: true, // a new refresh token on every redemption, as Entra; reuse: see `adapter`
    renderError,
    extraTokenClaims: async (ctx, token) => {
      // App-only tokens (client credentials): roles, no user, no scp.
      if (isAppOnly(token)) return { ver: '2.0', tid: tenant.id, azp: token.clientId, ...appOnlyClaims(token) };
      const accountId = 'accountId' in token ? token.accountId : undefined;
      const tu = accountId ? findUserByOid(tenant.id, accountId) : undefined;
      // The sign-in behind this token (code, refresh token, device code) and what it satisfied.
      const entities = ctx.oidc.entities as Record<string, { acr?: unknown } | undefined>;
      const acrs = acrsOf((entities.AuthorizationCode ?? entities.RefreshToken ?? entities.DeviceCode)?.acr);
      const body = ctx.oidc.body as Record<string, unknown> | undefined;
      const capabilities = accessTokenClaimsRequest(body?.claims ?? ctx.oidc.params?.claims).capabilities;
      return {
        ver: '2.0',
        tid: tenant.id,
        azp: token.clientId,
        ...(tu ? { oid: tu.membership.oid, preferred_username: tu.user.upn, name: tu.user.displayName } : {}),
        ...(token.scope ? { scp: scpOf(token.scope) } : {}),
        ...(acrs.length ? { acrs } : {}),
        ...(capabilities.length ? { xms_cc: capabilities } : {}),
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
  provider.use(entraShape(tenant, settings, pacer, deps.deviceLoginUrl));
  provider.on('grant.error', rememberErrorDetail);
  return provider;
}
