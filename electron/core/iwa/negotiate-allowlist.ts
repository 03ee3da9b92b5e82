// The hosts Chromium may answer `WWW-Authenticate: Negotiate` for, as one string for Electron's
// `session.allowNTLMCredentialsForDomains()` and the `auth-server-whitelist` switch. Chromium sends
// Kerberos tickets only to hosts on this list, so it holds exactly the sign-in hosts and nothing else.

/** Entra's Seamless SSO endpoint: with login.microsoftonline.com, Kerberos is answered here, not there. */
export const ENTRA_SEAMLESS_SSO_HOST = 'autologon.microsoftazuread-sso.com';
const ENTRA_LOGIN_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn']);

/** `host` or `*.domain`: no schemes, ports, paths or commas (the separator) get through. */
const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

export class InvalidNegotiateHostError extends Error {
  override readonly name = 'InvalidNegotiateHostError';
  readonly code = 'invalid_negotiate_host';
}

/**
 * `negotiateAllowlist(['https://localhost:5443/contoso'])` → `'localhost'`. Authorities are URLs;
 * `extraHosts` are host names or `*.domain` patterns (an ADFS farm such as `sts.contoso.com`).
 * A global Entra authority adds the Seamless SSO host.
 */
export function negotiateAllowlist(authorities: readonly string[], extraHosts: readonly string[] = []): string {
  const hosts: string[] = [];
  const add = (host: string) => {
    const h = host.trim().toLowerCase();
    if (!HOST_PATTERN.test(h)) throw new InvalidNegotiateHostError(`Not a host name for the Negotiate allowlist: "${host}"`);
    if (!hosts.includes(h)) hosts.push(h);
  };
  for (const authority of authorities) {
    const { hostname } = new URL(authority);
    add(hostname);
    if (ENTRA_LOGIN_HOSTS.has(hostname)) add(ENTRA_SEAMLESS_SSO_HOST);
  }
  for (const host of extraHosts) add(host);
  return hosts.join(',');
}
