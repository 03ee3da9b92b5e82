// Where windows may go. Pure decisions; electron/main/app.ts only wires Electron's events to them.
import { isRendererUrl, type TrustedRenderer } from './sender-policy.js';

export interface LoginNavigationPolicy {
  /** Origins of the authority and its login pages, e.g. ["https://login.microsoftonline.com"]. */
  readonly authorityOrigins: readonly string[];
  /** The registered redirect, e.g. "http://localhost" (port free, RFC 8252 §7.3). */
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
 * The loopback redirect: same scheme and host as registered (localhost and 127.0.0.1 are different
 * hosts to the IdP), any port when the host is loopback, and a path under the registered one.
 */
export function isRedirectUrl(url: string, redirectUri: string): boolean {
  const target = parse(url);
  const registered = parse(redirectUri);
  if (!target || !registered) return false;
  if (target.protocol !== registered.protocol || target.hostname !== registered.hostname) return false;
  if (target.username || target.password) return false;
  const portOk = LOOPBACK_HOSTS.has(registered.hostname) || target.port === registered.port;
  const base = registered.pathname.endsWith('/') ? registered.pathname : `${registered.pathname}/`;
  const pathOk = target.pathname === registered.pathname || target.pathname.startsWith(base) || registered.pathname === '/';
  return portOk && pathOk;
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
