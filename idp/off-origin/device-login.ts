// The device login page on its own origin, as microsoft.com/devicelogin is distinct from
// login.microsoftonline.com: `verification_uri` (and `…_complete`, with `?user_code=`) point here. It
// finds the tenant that issued the code and hands over to that tenant's code verification page with the
// code prefilled; oidc-provider then asks the user to confirm the app before anything is granted.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { sendHtml, sendRedirect } from '../http-util.js';
import { errorPage } from '../pages/misc.js';
import { deviceLoginPage } from '../pages/off-origin.js';
import { codeEntryError } from '../provider-pages.js';
import { TENANT_ROUTES } from '../routes.js';

export const DEVICE_LOGIN_PATH = '/devicelogin';

/** oidc-provider's own normalisation of a typed code (case, dashes and spaces do not matter). */
export function normalizeUserCode(input: string): string {
  return input.toUpperCase().replace(/\W/g, '');
}

export function verificationUriComplete(deviceLoginUrl: string, userCode: string): string {
  const url = new URL(deviceLoginUrl);
  url.searchParams.set('user_code', userCode);
  return url.href;
}

export interface DeviceLoginDeps {
  baseUrl: string;
  origin: string;
  /** Every tenant's provider by tenant GUID: a code is looked up where it was issued. */
  providers: () => ReadonlyMap<string, Provider>;
}

type Lookup = { ok: true; tenantId: string } | { ok: false; error: string };

/** Same sentences as the authority's own code page (provider-pages.ts), by oidc-provider's error names. */
async function findCode(providers: ReadonlyMap<string, Provider>, typed: string): Promise<Lookup> {
  const normalized = normalizeUserCode(typed);
  const problem = (name: string) => ({ ok: false as const, error: codeEntryError({ name })! });
  if (!normalized) return problem('NoCodeError');
  for (const [tenantId, provider] of providers) {
    const code = await provider.DeviceCode.findByUserCode(normalized, { ignoreExpiration: true });
    if (!code) continue;
    if (code.isExpired) return problem('ExpiredError');
    if (code.error || code.accountId || code.inFlight) return problem('AlreadyUsedError');
    return { ok: true, tenantId };
  }
  return problem('NotFoundError');
}

export function deviceLoginService(deps: DeviceLoginDeps) {
  const action = `${deps.origin}${DEVICE_LOGIN_PATH}`;
  return async function handleDeviceLogin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (url.pathname !== DEVICE_LOGIN_PATH) return sendHtml(res, 404, errorPage('not_found', 'There is no such page.'));
    if (req.method !== 'GET') return sendHtml(res, 405, errorPage('invalid_request', 'Method not allowed.'));
    const typed = url.searchParams.get('user_code');
    // The form is a GET to this page, which then redirects to the authority: both hops are form-action.
    const policy = { formOrigins: [deps.baseUrl] };
    if (typed === null) return sendHtml(res, 200, deviceLoginPage({ action }), policy);
    const code = typed.slice(0, 64);
    const found = await findCode(deps.providers(), code);
    if (!found.ok) return sendHtml(res, 200, deviceLoginPage({ action, code, error: found.error }), policy);
    const next = new URL(`${deps.baseUrl}/${found.tenantId}${TENANT_ROUTES.code_verification}`);
    next.searchParams.set('user_code', code);
    return sendRedirect(res, next.href);
  };
}
