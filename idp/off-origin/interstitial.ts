// An interstitial on another origin, as Entra's "More information required" (MFA registration on
// mysignins/aka.ms/mfasetup): after a correct password the authority parks the sign-in under a one-time
// nonce and sends the browser here; "Continue" comes back with a proof signed by this service naming
// that sign-in and nonce, and the authority finishes the sign-in for the account it parked.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findTenant, type Tenant } from '../directory.js';
import { readForm, sendHtml, sendRedirect } from '../http-util.js';
import { errorPage } from '../pages/misc.js';
import { interstitialPage } from '../pages/off-origin.js';
import { issuerFor } from '../provider.js';
import { signAssertion, verifyAssertion, type AssertionFailure, type OneTimeIds, type ServiceKey } from './assertions.js';

export const INTERSTITIAL_PATH = '/proofup';
export const INTERSTITIAL_PROOF_TYP = 'interstitial-proof+jwt';
/** A parked sign-in waits this long for the user to come back. */
const PENDING_MS = 10 * 60 * 1000;
const CONTEXT = /^[\w-]{1,64}$/;
const NONCE = /^[\w-]{22,64}$/;

export const INTERSTITIAL_ERRORS: Record<AssertionFailure | 'notPending', string> = {
  malformed: 'The answer from the account security page is missing or malformed. Go back to the app and sign in again.',
  signature: 'The answer from the account security page is not signed by the service this tenant trusts.',
  issuer: 'The answer from the account security page comes from a service this tenant does not trust.',
  audience: 'The answer from the account security page is for another tenant.',
  expired: 'The answer from the account security page has expired. Go back to the app and sign in again.',
  interaction: 'The answer from the account security page belongs to another sign-in. Go back to the app and sign in again.',
  replayed: 'The answer from the account security page has already been used. Go back to the app and sign in again.',
  notPending: 'This sign-in is not waiting for the account security page (it finished, or expired). Go back to the app and sign in again.',
};

export interface InterstitialTrust {
  url: string;
  issuer: string;
  publicKey: ServiceKey['publicKey'];
}

/** Sign-ins parked on the authority while the user is on the interstitial: (tenant, uid) → account and nonce. */
export class PendingInterstitials {
  readonly #pending = new Map<string, { accountId: string; nonce: string; until: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Park the sign-in; returns the nonce the proof must carry. A new park replaces an older one. */
  park(tenantId: string, uid: string, accountId: string): string {
    const now = this.#now();
    for (const [key, entry] of this.#pending) if (entry.until <= now) this.#pending.delete(key);
    const nonce = randomBytes(24).toString('base64url');
    this.#pending.set(`${tenantId}:${uid}`, { accountId, nonce, until: now + PENDING_MS });
    return nonce;
  }

  /** The parked account, once: a matching nonce removes the entry. */
  take(tenantId: string, uid: string, nonce: unknown): string | undefined {
    const key = `${tenantId}:${uid}`;
    const entry = this.#pending.get(key);
    if (!entry || entry.until <= this.#now() || entry.nonce !== nonce) return undefined;
    this.#pending.delete(key);
    return entry.accountId;
  }
}

export function interstitialUrl(trust: InterstitialTrust, tenantId: string, uid: string, nonce: string, upn: string): string {
  const url = new URL(trust.url);
  for (const [k, v] of Object.entries({ tenant: tenantId, ctx: uid, nonce, upn })) url.searchParams.set(k, v);
  return url.href;
}

export type InterstitialOutcome = { ok: true; accountId: string } | { ok: false; error: string };

export async function checkInterstitialProof(
  tenant: Tenant,
  baseUrl: string,
  token: string,
  uid: string,
  trust: InterstitialTrust,
  pending: PendingInterstitials,
  used: OneTimeIds,
  nowMs?: number,
): Promise<InterstitialOutcome> {
  const check = await verifyAssertion(token, {
    typ: INTERSTITIAL_PROOF_TYP,
    trusted: trust,
    audience: issuerFor(baseUrl, tenant.id),
    ctx: uid,
    used,
    ...(nowMs !== undefined ? { nowMs } : {}),
  });
  if (!check.ok) return { ok: false, error: INTERSTITIAL_ERRORS[check.reason] };
  const accountId = pending.take(tenant.id, uid, check.claims.nonce);
  return accountId ? { ok: true, accountId } : { ok: false, error: INTERSTITIAL_ERRORS.notPending };
}

export interface InterstitialServiceDeps {
  baseUrl: string;
  key: ServiceKey;
  origin: string;
}

export function interstitialService(deps: InterstitialServiceDeps) {
  const action = `${deps.origin}${INTERSTITIAL_PATH}`;
  return async function handleInterstitial(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== INTERSTITIAL_PATH) return sendHtml(res, 404, errorPage('not_found', 'There is no such page.'));
    if (req.method !== 'GET' && req.method !== 'POST') return sendHtml(res, 405, errorPage('invalid_request', 'Method not allowed.'));
    const params = req.method === 'POST' ? await readForm(req) : url.searchParams;
    const tenant = findTenant(params.get('tenant') ?? '');
    const ctx = params.get('ctx') ?? '';
    const nonce = params.get('nonce') ?? '';
    // The tenant is taken by GUID only, so the address below is always one of the authority's own.
    if (!tenant || params.get('tenant') !== tenant.id || !CONTEXT.test(ctx) || !NONCE.test(nonce)) {
      return sendHtml(res, 400, errorPage('invalid_request', 'This page was opened without a sign-in to return to. Go back to the app and sign in again.'));
    }
    if (req.method === 'GET') {
      const userName = (params.get('upn') ?? '').slice(0, 256);
      // Continue POSTs here, then a 303 leads to the authority and on to the app's loopback redirect.
      return sendHtml(res, 200, interstitialPage({ action, userName, fields: { tenant: tenant.id, ctx, nonce } }), { formOrigins: [deps.baseUrl] });
    }
    const proof = await signAssertion(deps.key, { typ: INTERSTITIAL_PROOF_TYP, aud: issuerFor(deps.baseUrl, tenant.id), ctx, claims: { nonce } });
    const back = new URL(`${deps.baseUrl}/${tenant.id}/interaction/${ctx}/continue`);
    back.searchParams.set('proof', proof);
    return sendRedirect(res, back.href);
  };
}
