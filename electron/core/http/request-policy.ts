// What the transport may do with a request beyond sending it once: repeat it after a transient failure,
// or refuse to send it while the server's Retry-After lasts. Pure functions of the request (method,
// form parameters) and the response (status, headers), so the rules are read and tested in one place.
import { createHash } from 'node:crypto';

/** What the policy needs to know about a request: nothing it would have to keep (bodies are hashed). */
export interface RequestFacts {
  method: string;
  url: URL;
  /** The form body, when the request has one (token and device endpoints). */
  form: URLSearchParams | undefined;
  /** An Authorization header is present (IWA's Negotiate token: one-shot, replay-detected). */
  hasAuthorization: boolean;
}

/**
 * Grants that may be sent twice. Repeating them cannot do more than the first attempt could have:
 *  - refresh_token: Entra keeps the presented refresh token valid after issuing a new one, so a repeat
 *    after a lost response is answered normally (at worst invalid_grant → interactive sign-in);
 *  - client_credentials, jwt-bearer (on-behalf-of): stateless, the assertion is reusable until it expires;
 *  - device_code: polling is repeating this request by design.
 * Never repeated:
 *  - authorization_code: the code is single-use; a second redemption is refused (AADSTS54005) and may
 *    make the server revoke the tokens the first one issued;
 *  - password (ROPC): each attempt is a sign-in with the user's password that lockout policies (Entra
 *    smart lockout) count; a lost response may already have counted, and a second attempt the user did
 *    not make is not ours to make;
 *  - anything we do not know (custom grants, the device authorization request).
 */
const REPEATABLE_GRANTS = new Set([
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:device_code',
]);

/**
 * May this request be sent a second time after a transient failure? GETs without credentials
 * (discovery, JWKS) yes; a GET carrying an Authorization header (IWA's Kerberos authenticator, which the
 * KDC's replay cache refuses the second time) no; POSTs by grant type (above).
 */
export function isRepeatable(req: RequestFacts): boolean {
  const method = req.method.toUpperCase();
  if (method === 'GET' || method === 'HEAD') return !req.hasAuthorization;
  if (method !== 'POST' || !req.form) return false;
  return REPEATABLE_GRANTS.has(req.form.get('grant_type') ?? '');
}

/** HTTP statuses worth one more try when the server gave no Retry-After. */
export const isTransientStatus = (status: number): boolean => status === 500 || status === 502 || status === 503 || status === 504;

/** Longest wait we honour (msal's ThrottlingUtils caps at an hour too): a server cannot lock us out for days. */
export const MAX_RETRY_AFTER_MS = 3600_000;

/**
 * The moment Retry-After names (delay-seconds or an HTTP-date), capped at an hour; undefined when
 * absent, unparsable, or not in the future.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): Date | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  let at: number;
  if (/^\d+$/.test(value)) at = now + Number(value) * 1000;
  else {
    // HTTP-date (RFC 9110 §5.6.7); Date.parse also takes other shapes, so require a GMT date.
    if (!/GMT$/.test(value)) return undefined;
    at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
  }
  if (!(at > now)) return undefined;
  return new Date(Math.min(at, now + MAX_RETRY_AFTER_MS));
}

/** Statuses whose Retry-After starts a throttle (as msal: 429 and any 5xx). */
export const isThrottlingStatus = (status: number): boolean => status === 429 || (status >= 500 && status < 600);

/**
 * What a throttle applies to, as msal's ThrottlingUtils keys it: client, authority (the endpoint URL is
 * the authority's), scopes, and the account. The transport sees no account object, so the account is the
 * credential standing for it in the request (refresh token, OBO assertion, username, device code) — and
 * only its SHA-256 is kept. An authorization-code redemption has no account yet (as in msal), so it is
 * keyed by client, endpoint and scopes: the server throttled this app's sign-ins.
 */
export function throttleKey(req: RequestFacts): string {
  const endpoint = `${req.method.toUpperCase()} ${req.url.origin}${req.url.pathname}`;
  if (!req.form) return endpoint;
  const f = req.form;
  const scopes = (f.get('scope') ?? '').split(/\s+/).filter(Boolean).map((s) => s.toLowerCase()).sort().join(' ');
  const subject = f.get('refresh_token') ?? f.get('assertion') ?? f.get('username') ?? f.get('device_code') ?? '';
  const account = subject ? createHash('sha256').update(subject).digest('base64url') : '';
  return [endpoint, f.get('client_id') ?? '', scopes, account].join('\n');
}

/** Server-side throttles, per transport (per engine): key → the moment requests may be sent again. */
export class Throttles {
  private readonly until = new Map<string, number>();
  /** The Retry-After moment still ahead for this key, if any (expired entries are dropped). */
  get(key: string, now: number): Date | undefined {
    const at = this.until.get(key);
    if (at === undefined) return undefined;
    if (at <= now) {
      this.until.delete(key);
      return undefined;
    }
    return new Date(at);
  }
  set(key: string, at: Date): void {
    this.until.set(key, at.getTime());
  }
}

/** A short jittered pause before the one retry: 250–750 ms, so many clients do not retry in step. */
export const retryDelayMs = (random = Math.random): number => 250 + Math.floor(random() * 500);
