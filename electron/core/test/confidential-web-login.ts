// Test-only: a person signing in to a web app, played over HTTP with a cookie jar (no browser needed):
// follow redirects, fill the IdP's login form, accept consent, stop at the web app's redirect URI.
import { CookieJar } from 'tough-cookie';

export async function signInOverHttp(authorizeUrl: string, redirectUri: string, user: string, fetch: typeof globalThis.fetch): Promise<URL> {
  const jar = new CookieJar();
  let url = new URL(authorizeUrl);
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.href.startsWith(redirectUri)) return url;
    const headers: Record<string, string> = { accept: 'text/html' };
    const cookie = await jar.getCookieString(url.href);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: form.toString() } : {}) });
    form = undefined;
    for (const c of response.headers.getSetCookie()) await jar.setCookie(c, url.href, { ignoreError: true });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url);
      continue;
    }
    const html = await response.text();
    const actions = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    if (/name="password"/.test(html)) {
      url = new URL(actions[0]!, url);
      form = new URLSearchParams({ username: user, password: 'Passw0rd!' });
    } else {
      const confirm = actions.find((a) => a.endsWith('/confirm'));
      if (!confirm) throw new Error(`unexpected page (status ${response.status}) during the web sign-in`);
      url = new URL(confirm, url);
      form = new URLSearchParams();
    }
  }
  throw new Error('the web sign-in took too many hops');
}
