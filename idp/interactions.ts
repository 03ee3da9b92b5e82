// The login and consent steps of interactive sign-in (authorization code and device code flows).
// oidc-provider sends the browser to /<tenant-guid>/interaction/<uid>; these handlers show our pages
// and report the outcome back with interactionFinished.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { isDisabled } from './accounts.js';
import { DEMO_PASSWORD, federatedDomainFor, findUserByLogin, findUserByOid, type Tenant } from './directory.js';
import { consentPage, loginPage } from './pages/sign-in.js';
import { errorPage } from './pages/misc.js';
import { apiForScope } from './resources.js';
import type { IdpSettings } from './settings.js';
import type { MemoryStore } from './store.js';
import { findUserGrant } from './grants.js';
import { readForm, sendHtml, sendRedirect, type PagePolicy } from './http-util.js';
import { checkFederatedAssertion, federationSignInUrl } from './off-origin/federation.js';
import { checkInterstitialProof, interstitialUrl } from './off-origin/interstitial.js';
import type { OffOriginAuthority } from './off-origin/services.js';
import { accessTokenClaimsRequest, acrFor } from './cae.js';
import { asksForCredentials, negotiateSignIn, resolvePrincipal, type KerberosAcceptor } from './kerberos.js';

export const LOGIN_ERRORS = {
  unknownUser: (tenant: string) => `We couldn't find an account with that username in ${tenant}. Check the username and try again.`,
  wrongPassword: 'Your account or password is incorrect. Check the password and try again.',
  disabled: 'Your account has been disabled. Contact your administrator.',
  missing: 'Enter your username and password.',
} as const;

export type LoginOutcome = { ok: true; accountId: string } | { ok: false; error: string };

/** Pure decision of the login form, so its messages are tested without a browser. */
export function checkLogin(tenant: Tenant, settings: IdpSettings, username: string, password: string): LoginOutcome {
  if (!username.trim() || !password) return { ok: false, error: LOGIN_ERRORS.missing };
  const tu = findUserByLogin(tenant.id, username);
  if (!tu) return { ok: false, error: LOGIN_ERRORS.unknownUser(tenant.displayName) };
  if (password !== DEMO_PASSWORD) return { ok: false, error: LOGIN_ERRORS.wrongPassword };
  if (isDisabled(settings, tu)) return { ok: false, error: LOGIN_ERRORS.disabled };
  return { ok: true, accountId: tu.membership.oid };
}

const OIDC_DESCRIPTIONS: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'View your basic profile',
  email: 'View your email address',
  offline_access: 'Maintain access to data you have given it access to',
};

/** Sentences for what the consent prompt is missing (oidc-provider's prompt details). */
export function describePermissions(details: Record<string, unknown>): string[] {
  const oidc = [...((details.missingOIDCScope as string[] | undefined) ?? [])];
  // First consent to the app: it also gets offline access (see recordConsent), so say so.
  if (oidc.includes('openid') && !oidc.includes('offline_access')) oidc.push('offline_access');
  const resourceScopes = Object.values((details.missingResourceScopes as Record<string, string[]> | undefined) ?? {}).flat();
  return [
    ...oidc.map((s) => OIDC_DESCRIPTIONS[s] ?? s),
    ...resourceScopes.map((s) => `${apiForScope(s)?.displayName ?? 'API'}: ${s}`),
  ];
}

export interface Context {
  tenant: Tenant;
  provider: Provider;
  settings: IdpSettings;
  store: MemoryStore;
  basePath: string;
  /** Set when the IdP runs with Kerberos: the login step then also accepts HTTP Negotiate. */
  kerberos?: KerberosAcceptor;
  log?: (line: string) => void;
  /** The federation service, interstitial and device login origins (off-origin/services.ts). */
  offOrigin?: OffOriginAuthority;
}

export async function handleInteraction(
  context: Context,
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  action: string | undefined,
): Promise<void> {
  const { tenant, provider, settings, basePath } = context;
  let details: Interaction;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    // Expired or foreign interaction cookie: nothing to resume.
    return sendHtml(res, 400, errorPage('session_expired', 'This sign-in page has expired. Go back to the app and start signing in again.'));
  }
  if (details.uid !== uid) return sendHtml(res, 400, errorPage('invalid_request', 'This sign-in page does not match your current sign-in. Start again from the app.'));

  const here = `${basePath}/interaction/${uid}`;
  const client = await provider.Client.find(String(details.params.client_id));
  const clientName = String(client?.clientName ?? details.params.client_id);
  // The login form may lead to the federation service or the interstitial (a 303 after the POST).
  const loginPolicy: PagePolicy = { formOrigins: context.offOrigin?.origins ?? [] };

  if (req.method === 'GET' && !action) {
    if (details.prompt.name === 'login' || details.prompt.name === 'select_account') {
      const loginHint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
      const form = (error?: string) => loginPage({ action: `${here}/login`, tenantName: tenant.displayName, clientName, loginHint, error });
      // Entra's home realm discovery from the request: a federated domain_hint or login_hint skips the form.
      const hinted = federationHop(context, details, uid, [details.params.domain_hint, details.params.login_hint]);
      if (hinted) return sendRedirect(res, hinted);
      if (context.kerberos && !asksForCredentials(details.params.prompt)) {
        const outcome = await negotiateSignIn(
          context.kerberos,
          req.headers.authorization,
          (principal) => resolvePrincipal(tenant, settings, principal, loginHint),
          context.log ?? (() => {}),
        );
        if (outcome.ok) {
          // amr "wia": Windows integrated authentication, as Entra reports a federated Kerberos sign-in.
          return provider.interactionFinished(
            req,
            res,
            { select_account: {}, login: { accountId: outcome.accountId, amr: ['wia'], ...satisfied(details) } },
            { mergeWithLastSubmission: false },
          );
        }
        // 401 with the challenge AND the form as its body, as ADFS/IIS do: a browser holding a ticket
        // answers the challenge, one without shows the form. After a refused token, the form says why.
        res.setHeader('www-authenticate', 'Negotiate');
        return sendHtml(res, 401, form(outcome.error), loginPolicy);
      }
      return sendHtml(res, 200, form(), loginPolicy);
    }
    const accountId = details.session?.accountId ?? '';
    const user = findUserByOid(tenant.id, accountId)?.user;
    return sendHtml(
      res,
      200,
      consentPage({
        action: `${here}/confirm`,
        abortAction: `${here}/abort`,
        tenantName: tenant.displayName,
        clientName,
        userName: user?.upn ?? accountId,
        permissions: describePermissions(details.prompt.details),
      }),
    );
  }

  if (action === 'continue' && req.method === 'GET' && context.offOrigin) {
    // Back from the interstitial: its signed proof must name this sign-in and the nonce it was parked under.
    const off = context.offOrigin;
    const proof = new URL(req.url ?? '/', off.baseUrl).searchParams.get('proof') ?? '';
    const back = await checkInterstitialProof(tenant, off.baseUrl, proof, uid, off.interstitial, off.pending, off.used);
    if (!back.ok) return sendHtml(res, 400, errorPage('invalid_request', back.error));
    return finishLogin(context, details, req, res, back.accountId, ['pwd']);
  }

  if (req.method !== 'POST') return sendHtml(res, 405, errorPage('invalid_request', 'Method not allowed.'));

  if (action === 'login') {
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    // Home realm discovery by the UPN suffix: a federated user's password is never asked for here.
    const federated = federationHop(context, details, uid, [username]);
    if (federated) return sendRedirect(res, federated);
    const outcome = checkLogin(tenant, settings, username, form.get('password') ?? '');
    if (!outcome.ok) {
      return sendHtml(res, 200, loginPage({ action: `${here}/login`, tenantName: tenant.displayName, clientName, loginHint: username, error: outcome.error }), loginPolicy);
    }
    const off = context.offOrigin;
    const tu = findUserByOid(tenant.id, outcome.accountId);
    if (off && tu?.user.interstitial) {
      // Parked until the interstitial's proof comes back to /continue with the same nonce.
      const nonce = off.pending.park(tenant.id, uid, outcome.accountId);
      return sendRedirect(res, interstitialUrl(off.interstitial, tenant.id, uid, nonce, tu.user.upn));
    }
    // Answering the login form also answers prompt=select_account (the account was chosen by typing it).
    return provider.interactionFinished(
      req,
      res,
      { select_account: {}, login: { accountId: outcome.accountId, amr: ['pwd'], ...satisfied(details) } },
      { mergeWithLastSubmission: false },
    );
  }

  if (action === 'federated' && context.offOrigin) {
    const off = context.offOrigin;
    const form = await readForm(req);
    const outcome = await checkFederatedAssertion(tenant, off.baseUrl, form.get('assertion') ?? '', uid, off.federation, off.used);
    if (!outcome.ok) return sendHtml(res, 400, errorPage('invalid_assertion', outcome.error));
    const tu = findUserByOid(tenant.id, outcome.accountId);
    if (tu && isDisabled(settings, tu)) return sendHtml(res, 400, errorPage('user_disabled', LOGIN_ERRORS.disabled));
    // amr "fed": a federated identity provider authenticated the user (Entra's value).
    return finishLogin(context, details, req, res, outcome.accountId, ['fed']);
  }

  if (action === 'confirm') {
    await readForm(req);
    return provider.interactionFinished(req, res, { consent: { grantId: await recordConsent(context, details) } }, { mergeWithLastSubmission: true });
  }

  if (action === 'abort') {
    await readForm(req);
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'AADSTS65004: User declined to consent to access the app.' },
      { mergeWithLastSubmission: false },
    );
  }

  return sendHtml(res, 404, errorPage('not_found', 'There is no such page.'));
}

/** The login step is done: the same result as the password form's. */
function finishLogin(context: Context, details: Interaction, req: IncomingMessage, res: ServerResponse, accountId: string, amr: string[]) {
  return context.provider.interactionFinished(
    req,
    res,
    { select_account: {}, login: { accountId, amr, ...satisfied(details) } },
    { mergeWithLastSubmission: false },
  );
}

/**
 * The federation service's sign-in URL when one of `logins` (a username, a `domain_hint`, a
 * `login_hint`) is in a domain this tenant federates; the username goes along when it is a UPN.
 */
function federationHop(context: Context, details: Interaction, uid: string, logins: readonly unknown[]): string | undefined {
  const off = context.offOrigin;
  if (!off) return undefined;
  const found = logins.find((l): l is string => typeof l === 'string' && federatedDomainFor(context.tenant.id, l) !== undefined);
  if (found === undefined) return undefined;
  // Prefilled at the federation service: the UPN typed or hinted, else the one of a short name (`dave`).
  const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : undefined;
  const upn = [found, hint].find((l) => l?.includes('@')) ?? findUserByLogin(context.tenant.id, found)?.user.upn;
  return federationSignInUrl(off.federation, String(context.provider.issuer), uid, upn);
}

/** A sign-in on this page satisfies the authentication contexts its request asked for (`acrs`). */
function satisfied(details: Interaction): { acr?: string } {
  const acr = acrFor(accessTokenClaimsRequest(details.params.claims).acrs);
  return acr ? { acr } : {};
}

/**
 * Add what the consent prompt found missing to the user's grant (creating it on first consent). One
 * grant per user and app, found in the store when the interaction does not name it, so consent
 * accumulates instead of splitting over several grants.
 */
async function recordConsent({ provider, store, tenant }: Context, details: Interaction): Promise<string> {
  const accountId = details.session?.accountId;
  if (!accountId) throw new Error('consent without a signed-in user');
  const clientId = String(details.params.client_id);
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    (await findUserGrant(provider, store, tenant.id, accountId, clientId)) ??
    new provider.Grant({ accountId, clientId });
  const d = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
  // oidc-provider drops offline_access from code-flow requests without prompt=consent, so it would
  // never be consented to there and the device flow would then ask for it alone. Entra's consent
  // covers it ("Maintain access to data you have given it access to"), and so does ours.
  grant.addOIDCScope('offline_access');
  if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
  return grant.save();
}
