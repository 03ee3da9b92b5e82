// A federation sign-in service on its own origin (what ADFS is to Entra for a federated domain), and the
// authority's side of the trust: home realm discovery sends the browser here with the tenant as the
// relying party (`wtrealm`) and the sign-in's interaction uid as context (`wctx`); the service checks the
// password and POSTs a signed assertion back to the authority, which finishes the sign-in.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_PASSWORD, FEDERATED_DOMAINS, findTenant, findUserByLogin, USER_LIST, type DemoUser, type Tenant } from '../directory.js';
import { readForm, sendHtml } from '../http-util.js';
import { errorPage } from '../pages/misc.js';
import { AUTO_SUBMIT_SCRIPT_HASH, federationSignInPage, postBackPage } from '../pages/off-origin.js';
import { issuerFor } from '../provider.js';
import { signAssertion, verifyAssertion, type AssertionFailure, type OneTimeIds, type ServiceKey } from './assertions.js';

export const FEDERATION_PATH = '/adfs/ls/';
export const FEDERATION_ASSERTION_TYP = 'fed-assertion+jwt';
/** Interaction uids are oidc-provider's nanoids; anything else is not ours to post back to. */
const CONTEXT = /^[\w-]{1,64}$/;

export const FEDERATION_ERRORS = {
  wrongCredentials: 'Incorrect user ID or password. Type the correct user ID and password, and try again.',
  unknownRealm: 'MSIS7007: The requesting relying party trust is unknown to this federation service.',
} as const;

/** Entra's AADSTS50008 family: what the authority says about an assertion it refuses. */
export const ASSERTION_ERRORS: Record<AssertionFailure | 'unknownUser', string> = {
  malformed: 'AADSTS50008: The sign-in assertion from the federation service is missing or malformed.',
  signature: 'AADSTS50008: The sign-in assertion is not signed by the federation service this tenant trusts.',
  issuer: 'AADSTS50008: The sign-in assertion comes from an issuer this tenant does not trust.',
  audience: 'AADSTS50008: The sign-in assertion is for another relying party, not this tenant.',
  expired: 'AADSTS50008: The sign-in assertion has expired or is not valid yet. Go back to the app and sign in again.',
  interaction: 'AADSTS50008: The sign-in assertion belongs to another sign-in. Go back to the app and sign in again.',
  replayed: 'AADSTS50008: The sign-in assertion has already been used. Go back to the app and sign in again.',
  unknownUser: 'AADSTS50034: The user account named by the federation service does not exist in this tenant.',
};

/** What the authority knows of the service it trusts. */
export interface FederationTrust {
  signInUrl: string;
  issuer: string;
  publicKey: ServiceKey['publicKey'];
}

/** Where home realm discovery sends the browser (WS-Federation's parameter names, for familiarity). */
export function federationSignInUrl(trust: FederationTrust, realm: string, uid: string, username: string | undefined): string {
  const url = new URL(trust.signInUrl);
  url.searchParams.set('wa', 'wsignin1.0');
  url.searchParams.set('wtrealm', realm);
  url.searchParams.set('wctx', uid);
  if (username?.includes('@')) url.searchParams.set('username', username.trim());
  return url.href;
}

export type FederatedOutcome = { ok: true; accountId: string } | { ok: false; error: string };

/** The authority's check of a posted assertion: trust, audience (this tenant), lifetime, this sign-in, once. */
export async function checkFederatedAssertion(
  tenant: Tenant,
  baseUrl: string,
  token: string,
  uid: string,
  trust: FederationTrust,
  used: OneTimeIds,
  nowMs?: number,
): Promise<FederatedOutcome> {
  const check = await verifyAssertion(token, {
    typ: FEDERATION_ASSERTION_TYP,
    trusted: trust,
    audience: issuerFor(baseUrl, tenant.id),
    ctx: uid,
    used,
    ...(nowMs !== undefined ? { nowMs } : {}),
  });
  if (!check.ok) return { ok: false, error: ASSERTION_ERRORS[check.reason] };
  const upn = typeof check.claims.upn === 'string' ? check.claims.upn : '';
  const domain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
  // The service speaks for its federated domains of this tenant only, never for a managed user.
  const tu = FEDERATED_DOMAINS[domain]?.tenantId === tenant.id ? findUserByLogin(tenant.id, upn) : undefined;
  if (!tu || !upn.includes('@')) return { ok: false, error: ASSERTION_ERRORS.unknownUser };
  return { ok: true, accountId: tu.membership.oid };
}

export interface FederationServiceDeps {
  /** The authority's base URL: relying parties and reply addresses are derived from it, never taken from the request. */
  baseUrl: string;
  key: ServiceKey;
  /** The service's own origin, for the form action and the authority's form-action. */
  origin: string;
}

/** The relying party a `wtrealm` names: a tenant that federates one of this service's domains. */
function relyingParty(baseUrl: string, realm: string | null): { tenant: Tenant; domains: string[]; serviceName: string } | undefined {
  const match = realm ? new RegExp(`^${escapeRegExp(baseUrl)}/([0-9a-f-]{36})/v2\\.0$`).exec(realm) : null;
  const tenant = match ? findTenant(match[1]!) : undefined;
  const entries = Object.entries(FEDERATED_DOMAINS).filter(([, d]) => d.tenantId === tenant?.id);
  if (!tenant || entries.length === 0) return undefined;
  return { tenant, domains: entries.map(([domain]) => domain), serviceName: entries[0]![1].serviceName };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The service's own directory view: the user with this UPN (or short name) in one of its domains. */
function federatedUser(domains: readonly string[], login: string): DemoUser | undefined {
  const l = login.trim().toLowerCase();
  return USER_LIST.find((u) => (u.upn.toLowerCase() === l || u.username === l) && domains.includes(u.upn.split('@')[1]!.toLowerCase()));
}

export function federationService(deps: FederationServiceDeps) {
  const action = `${deps.origin}${FEDERATION_PATH}`;
  return async function handleFederation(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== FEDERATION_PATH) return sendHtml(res, 404, errorPage('not_found', 'There is no such page.'));
    if (req.method !== 'GET' && req.method !== 'POST') return sendHtml(res, 405, errorPage('invalid_request', 'Method not allowed.'));
    const params = req.method === 'POST' ? await readForm(req) : url.searchParams;
    const realm = params.get('wtrealm');
    const context = params.get('wctx') ?? '';
    const rp = relyingParty(deps.baseUrl, realm);
    if (!rp || !CONTEXT.test(context) || params.get('wa') !== 'wsignin1.0') {
      return sendHtml(res, 400, errorPage('invalid_request', FEDERATION_ERRORS.unknownRealm));
    }
    const form = (username: string | undefined, error?: string) =>
      federationSignInPage({ action, serviceName: rp.serviceName, realm: realm!, context, ...(username ? { username } : {}), ...(error ? { error } : {}) });
    if (req.method === 'GET') return sendHtml(res, 200, form(params.get('username') ?? undefined));

    const username = params.get('username') ?? '';
    const user = federatedUser(rp.domains, username);
    if (!user || params.get('password') !== DEMO_PASSWORD) return sendHtml(res, 200, form(username, FEDERATION_ERRORS.wrongCredentials));
    const assertion = await signAssertion(deps.key, { typ: FEDERATION_ASSERTION_TYP, aud: realm!, ctx: context, claims: { upn: user.upn } });
    const reply = `${deps.baseUrl}/${rp.tenant.id}/interaction/${context}/federated`;
    return sendHtml(res, 200, postBackPage(reply, { assertion }), { formOrigins: [deps.baseUrl], scriptHashes: [AUTO_SUBMIT_SCRIPT_HASH] });
  };
}
