// Where windows may go. Pure decisions; electron/main/app.ts only wires Electron's events to them.
import { isRendererUrl, type TrustedRenderer } from './sender-policy.js';

export interface LoginNavigationPolicy {
  /** Origins of the authority and its login pages, e.g. ["https://login.microsoftonline.com"]. */
  readonly authorityOrigins: readonly string[];
  /**
   * The exact redirect_uri of this sign-in, port included, e.g. "http://127.0.0.1:53123/" (the
   * listener's). The IdP registration leaves the loopback port free (RFC 8252 §7.3); this window does
   * not: any other local port is another program's web service.
   */
  readonly redirectUri: string;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The redirect of this sign-in: the same scheme, host, port and path as `redirectUri`, exactly (no
 * path below it, no credentials); only the query (code, state, …) and fragment may differ.
 */
export function isRedirectUrl(url: string, redirectUri: string): boolean {
  const target = parse(url);
  const expected = parse(redirectUri);
  if (!target || !expected) return false;
  if (target.username || target.password) return false;
  return (
    target.protocol === expected.protocol &&
    target.hostname === expected.hostname &&
    target.port === expected.port &&
    target.pathname === expected.pathname
  );
}

/** The login window may show the authority's pages and the loopback redirect, nothing else. */
export function isAllowedNavigation(url: string, policy: LoginNavigationPolicy): boolean {
  const target = parse(url);
  if (!target || (target.protocol !== 'https:' && target.protocol !== 'http:')) return false;
  if (target.username || target.password) return false;
  if (isRedirectUrl(url, policy.redirectUri)) return true;
  return policy.authorityOrigins.some((origin) => parse(origin)?.origin === target.origin);
}

/** The main window never navigates away from the renderer (a reload of it is fine). */
export function isAllowedAppNavigation(url: string, trusted: TrustedRenderer): boolean {
  return isRendererUrl(url, trusted);
}

export type WindowOpenDecision = { action: 'deny'; openExternally: boolean };

/**
 * New windows are never created inside the app. A link the user clicks in the renderer (the device
 * code's verification page) opens in the system browser, but only https (or http on loopback, for the
 * local IdP) to an origin we expect, so a compromised page cannot launch arbitrary protocol handlers.
 */
export function decideWindowOpen(url: string, externalOrigins: readonly string[]): WindowOpenDecision {
  const target = parse(url);
  if (!target || target.username || target.password) return { action: 'deny', openExternally: false };
  const schemeOk = target.protocol === 'https:' || (target.protocol === 'http:' && LOOPBACK_HOSTS.has(target.hostname));
  const originOk = externalOrigins.some((origin) => parse(origin)?.origin === target.origin);
  return { action: 'deny', openExternally: schemeOk && originOk };
}

/**
 * Permission requests: the login window gets none (camera, notifications, geolocation, …); the
 * renderer only the sanitized clipboard write behind its "Copy code" button.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, trusted: TrustedRenderer): boolean {
  return permission === 'clipboard-sanitized-write' && isRendererUrl(requestingUrl, trusted);
}

/** The login window's title shows the host the user is typing their password into. */
export function loginWindowTitle(url: string): string {
  const target = parse(url);
  return target ? `Sign in — ${target.host}` : 'Sign in';
}
