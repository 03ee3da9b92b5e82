// The two navigation rules the controller itself applies (the shell applies the same ones to its
// windows, electron/main/navigation-policy.ts, which imports them from here: arrows point inward).
import type { BlockedNavigation } from './ports.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * What this app hands to the system browser: https, or http on loopback (the local IdP, a dev server),
 * without credentials, so nothing can launch another protocol handler (ms-settings:, file:, …).
 */
export function isExternalBrowserUrl(url: string): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  return target.protocol === 'https:' || (target.protocol === 'http:' && LOOPBACK_HOSTS.has(target.hostname));
}

/**
 * The detail of a refused navigation, for the error the user sees: the scheme and host it tried,
 * never the rest of the URL. Both are cut short (a URL parser accepts very long ones).
 */
export function describeBlockedNavigation(blocked: BlockedNavigation): string {
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const scheme = cut(blocked.scheme, 32);
  const where = blocked.host ? `${scheme}//${cut(blocked.host, 255)}` : scheme;
  switch (blocked.rule) {
    case 'not-redirect':
      return `${where} is plain http and not this sign-in's redirect`;
    case 'credentials':
      return `${where} has a user name or password in it`;
    case 'invalid':
      return 'the address is not a URL';
    case 'scheme':
      return `${where} is not an https address`;
  }
}
