// Runs an authorization request with no window, as a browser would, answering the IdP's
// `WWW-Authenticate: Negotiate` challenge with a SPNEGO token. Succeeds only when the chain of redirects
// ends at our loopback redirect URI; anything that needs a person (a password form, a consent page, an
// error page) stops it with InteractionRequiredAuthError, so the caller falls back to an interactive flow.
import { CookieJar } from 'tough-cookie';
import { InteractionRequiredAuthError, NetworkError } from '../errors.js';
import type { FetchLike } from '../http/pinned-fetch.js';
import type { SpnegoProvider } from './spnego.js';

export interface HeadlessAuthorizationOptions {
  fetch: FetchLike;
  /** The redirect URI registered for the request: the chain must end there. */
  redirectUri: string;
  spnego: SpnegoProvider;
  signal?: AbortSignal;
  /** A real IdP takes a handful of hops; more means a loop. */
  maxHops?: number;
}

const isRedirect = (status: number) => status >= 300 && status < 400;

function negotiateOffered(response: Response): boolean {
  return (response.headers.get('www-authenticate') ?? '')
    .split(',')
    .some((challenge) => challenge.trim().toLowerCase().startsWith('negotiate'));
}

function matchesRedirect(url: URL, redirectUri: string): boolean {
  const expected = new URL(redirectUri);
  return url.origin === expected.origin && url.pathname === expected.pathname;
}

/** Returns the final redirect URL (holding `code` and `state`, or an OAuth `error`). */
export async function runHeadlessAuthorization(authorizeUrl: URL, options: HeadlessAuthorizationOptions): Promise<URL> {
  const jar = new CookieJar();
  const maxHops = options.maxHops ?? 15;
  let url = authorizeUrl;
  let negotiatedFor: string | null = null; // one Negotiate answer per URL: a second 401 means "refused"

  for (let hop = 0; hop < maxHops; hop++) {
    options.signal?.throwIfAborted();
    if (matchesRedirect(url, options.redirectUri)) return url;

    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = await jar.getCookieString(url.href);
    if (cookie) headers.cookie = cookie;
    if (negotiatedFor === url.href) headers.authorization = `Negotiate ${await options.spnego(url.hostname)}`;

    const response = await options.fetch(url, { method: 'GET', headers, redirect: 'manual', signal: options.signal });
    for (const setCookie of response.headers.getSetCookie()) await jar.setCookie(setCookie, url.href, { ignoreError: true });

    if (isRedirect(response.status)) {
      const location = response.headers.get('location');
      if (!location) throw new NetworkError('invalid_redirect', `A redirect from ${url.origin} had no Location`);
      url = new URL(location, url);
      continue;
    }
    if (response.status === 401 && negotiateOffered(response)) {
      if (negotiatedFor === url.href) {
        throw new InteractionRequiredAuthError('iwa_rejected', 'The identity provider did not accept the Kerberos ticket');
      }
      negotiatedFor = url.href;
      continue;
    }
    // A page for a person: the IdP wants a password, consent or something else IWA cannot give.
    throw new InteractionRequiredAuthError(
      response.status === 401 ? 'iwa_not_offered' : 'interaction_required',
      response.status === 401
        ? 'The identity provider does not offer Integrated Windows Authentication'
        : 'The identity provider needs the user to interact (a sign-in form or consent)',
    );
  }
  throw new InteractionRequiredAuthError('iwa_redirect_loop', `Integrated Windows Authentication took more than ${maxHops} redirects`);
}
