// Where windows may go. Pure decisions; electron/main/app.ts only wires Electron's events to them.
import { isRendererUrl, type TrustedRenderer } from './sender-policy.js';
import type { BlockedNavigation, FrameKind, LoginNavigationPolicy } from '../app/ports.js';
import { describeBlockedNavigation, isExternalBrowserUrl } from '../app/navigation.js';

// Declared by the controller's layer (the ports it gives the shell), re-exported for the shell's callers.
export type { BlockedNavigation, FrameKind, LoginNavigationPolicy };
export { describeBlockedNavigation, isExternalBrowserUrl };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

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

export type NavigationDecision = { readonly allowed: true } | { readonly allowed: false; readonly blocked: BlockedNavigation };

/** Blank and srcdoc frames load nothing from anywhere: their document comes from the (https) parent. */
const LOCAL_FRAME_URLS = new Set(['about:blank', 'about:srcdoc']);

/**
 * Where the login window may go. Real sign-ins leave the authority all the time (federation servers,
 * login.live.com, MFA registration, password reset), so any https page is followed: what keeps the
 * window safe is that it has no preload, its own in-memory partition and the current host in its
 * title, not an origin allowlist. The top frame may use http only for this sign-in's exact loopback
 * redirect; frames get https only (and blank/srcdoc documents); every other scheme is refused.
 */
export function decideLoginNavigation(url: string, policy: LoginNavigationPolicy, frame: FrameKind = 'main'): NavigationDecision {
  const target = parse(url);
  const block = (rule: BlockedNavigation['rule']): NavigationDecision => ({
    allowed: false,
    blocked: { rule, frame, scheme: target?.protocol ?? '', host: target?.host ?? '' },
  });
  if (!target) return block('invalid');
  if (target.username || target.password) return block('credentials');
  if (target.protocol === 'https:') return { allowed: true };
  if (frame === 'sub') return LOCAL_FRAME_URLS.has(target.href) ? { allowed: true } : block('scheme');
  if (target.protocol === 'http:') return isRedirectUrl(url, policy.redirectUri) ? { allowed: true } : block('not-redirect');
  return block('scheme');
}

/** decideLoginNavigation for the top frame, as a yes or no. */
export function isAllowedNavigation(url: string, policy: LoginNavigationPolicy): boolean {
  return decideLoginNavigation(url, policy, 'main').allowed;
}

/** The main window never navigates away from the renderer (a reload of it is fine). */
export function isAllowedAppNavigation(url: string, trusted: TrustedRenderer): boolean {
  return isRendererUrl(url, trusted);
}

export type WindowOpenDecision = { action: 'deny'; openExternally: boolean };

/**
 * New windows are never created inside the app. A link to the authority's origins opens in the
 * system browser (isExternalBrowserUrl), so a compromised page cannot launch arbitrary protocol
 * handlers. (The device code's link does not come this way: see the controller's openVerificationUri.)
 */
export function decideWindowOpen(url: string, externalOrigins: readonly string[]): WindowOpenDecision {
  const origin = parse(url)?.origin;
  const originOk = externalOrigins.some((o) => parse(o)?.origin === origin);
  return { action: 'deny', openExternally: isExternalBrowserUrl(url) && originOk };
}

/**
 * Permission requests: the login window gets none (camera, notifications, geolocation, …); the
 * renderer only the sanitized clipboard write behind its "Copy code" button.
 */
export function isPermissionAllowed(permission: string, requestingUrl: string, trusted: TrustedRenderer): boolean {
  return permission === 'clipboard-sanitized-write' && isRendererUrl(requestingUrl, trusted);
}

/**
 * The login window's title names the host the user is typing into, whatever the page calls itself,
 * and says so when that is not the authority's (a federation server, MSA, MFA registration). Hosts
 * come from the URL parser, so an international name shows as punycode (xn--…), not as a look-alike.
 */
export function loginWindowTitle(url: string, authorityOrigins: readonly string[] = []): string {
  const target = parse(url);
  if (!target?.host) return 'Sign in';
  const authorities = authorityOrigins.map(parse).filter((a): a is URL => a !== undefined);
  const first = authorities[0];
  if (!first || authorities.some((a) => a.origin === target.origin)) return `Sign in — ${target.host}`;
  return `Signing in at ${target.host} — redirected from ${first.host}`;
}
