// Which way a request leaves the machine: directly, or through an HTTP(S) proxy. Pure functions over
// plain data, so every rule (PAC answers, NO_PROXY, precedence) is unit-tested without a network.
//
// Precedence, most specific first:
//   1. `proxyUrl` given to the engine (system.proxyUrl): every request, except NO_PROXY hosts;
//   2. `resolveProxy(url)` (the Electron app: Chromium's own answer for the system/PAC settings, so the
//      engine takes the same way out as the login window did);
//   3. HTTPS_PROXY / HTTP_PROXY / NO_PROXY (and their lower-case forms, which win, as in curl and undici).
import { ClientAuthError, ClientAuthErrorCode } from '../errors.js';

/** Where a request goes: `direct`, or through `proxy` (an http: or https: URL, possibly with credentials). */
export type ProxyChoice = { kind: 'direct' } | { kind: 'proxy'; proxy: URL };

export const DIRECT: ProxyChoice = { kind: 'direct' };

/** A PAC entry we cannot use (SOCKS, or one we cannot parse): kept for the error message. */
export interface UnusableEntry {
  entry: string;
  reason: 'socks_unsupported' | 'malformed';
}

export type PacResult = { ok: true; choice: ProxyChoice; skipped: UnusableEntry[] } | { ok: false; skipped: UnusableEntry[] };

/**
 * Chromium's PAC-style answer (`session.resolveProxy`): `"DIRECT"`, `"PROXY host:port; DIRECT"`,
 * `"HTTPS host:port"`, `"SOCKS5 host:port"`, entries separated by `;`. The first usable entry wins.
 * SOCKS (4 and 5) entries are skipped, falling through to the next entry: undici can speak SOCKS5 but
 * this app does not test it, and a SOCKS-only answer ends in a typed error (`proxy_unsupported`)
 * rather than a silent direct connection the network would refuse anyway. An empty answer is DIRECT.
 */
export function parsePacAnswer(answer: string): PacResult {
  const entries = answer
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return { ok: true, choice: DIRECT, skipped: [] };
  const skipped: UnusableEntry[] = [];
  for (const entry of entries) {
    const [keyword = '', target, ...rest] = entry.split(/\s+/);
    const type = keyword.toUpperCase();
    if (type === 'DIRECT' && target === undefined) return { ok: true, choice: DIRECT, skipped };
    if (type === 'SOCKS' || type === 'SOCKS4' || type === 'SOCKS5') {
      skipped.push({ entry: safeEntry(entry), reason: 'socks_unsupported' });
      continue;
    }
    const scheme = type === 'PROXY' || type === 'HTTP' ? 'http' : type === 'HTTPS' ? 'https' : undefined;
    const proxy = scheme && target && rest.length === 0 ? hostPortUrl(scheme, target) : undefined;
    if (!proxy) {
      skipped.push({ entry: safeEntry(entry), reason: 'malformed' });
      continue;
    }
    return { ok: true, choice: { kind: 'proxy', proxy }, skipped };
  }
  return { ok: false, skipped };
}

/** `host:port` (IPv6 in brackets) → a proxy URL; undefined unless that is all it is. */
function hostPortUrl(scheme: 'http' | 'https', target: string): URL | undefined {
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(target)) return undefined;
  try {
    return new URL(`${scheme}://${target}`);
  } catch {
    return undefined;
  }
}

/** An entry as it may appear in an error: bounded, one line. PAC answers carry no credentials. */
const safeEntry = (entry: string): string => entry.replace(/\p{Cc}+/gu, ' ').slice(0, 100);

export type Env = Readonly<Record<string, string | undefined>>;

/** The proxy the environment names for this URL (curl's rules: lower case first, NO_PROXY bypasses). */
export function proxyFromEnv(url: URL, env: Env): ProxyChoice {
  const raw = url.protocol === 'https:' ? (env.https_proxy ?? env.HTTPS_PROXY ?? env.http_proxy ?? env.HTTP_PROXY) : (env.http_proxy ?? env.HTTP_PROXY);
  if (!raw || bypassesProxy(url, noProxyOf(env))) return DIRECT;
  return { kind: 'proxy', proxy: parseProxyUrl(raw) };
}

export const noProxyOf = (env: Env): string => env.no_proxy ?? env.NO_PROXY ?? '';

/**
 * NO_PROXY as undici and curl read it: comma- or space-separated entries, `*` for every host, an entry
 * matching the host itself and its subdomains (a leading `.` or `*.` is ignored), `host:port` only that
 * port. IP addresses match literally (no CIDR ranges).
 */
export function bypassesProxy(url: URL, noProxy: string): boolean {
  const entries = noProxy.split(/[,\s]+/).filter(Boolean);
  if (entries.includes('*')) return true;
  const hostname = url.hostname.toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  return entries.some((entry) => {
    const m = /^(.+):(\d+)$/.exec(entry);
    const host = (m ? m[1]! : entry).replace(/^\*?\./, '').toLowerCase();
    if (m && Number(m[2]) !== port) return false;
    return hostname === host || hostname.endsWith(`.${host}`);
  });
}

/** A proxy URL from configuration or the environment; `host:port` alone means http. */
export function parseProxyUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ClientAuthError(ClientAuthErrorCode.invalidArgument, 'The proxy setting is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClientAuthError(ClientAuthErrorCode.invalidArgument, `The proxy scheme ${url.protocol} is not supported (http: and https: are)`);
  }
  return url;
}

/** How a proxy is named in errors and logs: host and port, never its credentials. */
export function proxyLabel(proxy: URL): string {
  return `${proxy.hostname.includes(':') && !proxy.hostname.startsWith('[') ? `[${proxy.hostname}]` : proxy.hostname}:${proxy.port || (proxy.protocol === 'https:' ? '443' : '80')}`;
}
