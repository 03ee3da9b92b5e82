// The transport's pure rules: PAC answers, NO_PROXY, the environment, Retry-After, what may be repeated,
// and what a throttle applies to.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { bypassesProxy, parsePacAnswer, parseProxyUrl, proxyFromEnv, proxyLabel, type PacResult } from '../proxy-choice.js';
import { isRepeatable, parseRetryAfter, throttleKey, MAX_RETRY_AFTER_MS, type RequestFacts } from '../request-policy.js';
import { ClientAuthError } from '../../errors.js';

const chosen = (r: PacResult) => (r.ok ? (r.choice.kind === 'direct' ? 'DIRECT' : r.choice.proxy.href) : `none: ${r.skipped.map((s) => `${s.reason} ${s.entry}`).join(', ')}`);

describe('parsePacAnswer (Chromium session.resolveProxy answers)', () => {
  const rows: Array<[string, string]> = [
    ['DIRECT', 'DIRECT'],
    ['', 'DIRECT'],
    ['  ', 'DIRECT'],
    ['PROXY proxy.corp:8080', 'http://proxy.corp:8080/'],
    ['PROXY proxy.corp:8080; DIRECT', 'http://proxy.corp:8080/'],
    ['proxy proxy.corp:3128', 'http://proxy.corp:3128/'],
    ['HTTP 10.0.0.1:80', 'http://10.0.0.1/'],
    ['HTTPS secure.corp:443', 'https://secure.corp/'],
    ['HTTPS secure.corp:8443;PROXY b:1', 'https://secure.corp:8443/'],
    ['PROXY [2001:db8::1]:3128', 'http://[2001:db8::1]:3128/'],
    ['SOCKS5 socks.corp:1080; PROXY fallback.corp:8080', 'http://fallback.corp:8080/'],
    ['SOCKS socks.corp:1080; DIRECT', 'DIRECT'],
    ['SOCKS5 socks.corp:1080', 'none: socks_unsupported SOCKS5 socks.corp:1080'],
    ['SOCKS4 a:1; SOCKS b:2', 'none: socks_unsupported SOCKS4 a:1, socks_unsupported SOCKS b:2'],
    ['PROXY', 'none: malformed PROXY'],
    ['PROXY no-port', 'none: malformed PROXY no-port'],
    ['PROXY a:1 extra', 'none: malformed PROXY a:1 extra'],
    ['PROXY user:pw@a:1', 'none: malformed PROXY user:pw@a:1'],
    ['QUIC a:443; DIRECT', 'DIRECT'],
    ['DIRECT x', 'none: malformed DIRECT x'],
  ];
  for (const [answer, expected] of rows) test(JSON.stringify(answer), () => assert.equal(chosen(parsePacAnswer(answer)), expected));
});

describe('NO_PROXY', () => {
  const u = (s: string) => new URL(s);
  test('host, subdomains, leading dot or *., port, *, IP literals; case-insensitive', () => {
    assert.equal(bypassesProxy(u('https://login.corp.example/'), 'corp.example'), true);
    assert.equal(bypassesProxy(u('https://corp.example/'), '.corp.example'), true);
    assert.equal(bypassesProxy(u('https://a.corp.example/'), '*.corp.example'), true);
    assert.equal(bypassesProxy(u('https://notcorp.example/'), 'corp.example'), false);
    assert.equal(bypassesProxy(u('https://LOCALHOST:5443/'), 'localhost'), true);
    assert.equal(bypassesProxy(u('https://localhost:5443/'), 'localhost:5443'), true);
    assert.equal(bypassesProxy(u('https://localhost:5444/'), 'localhost:5443'), false);
    assert.equal(bypassesProxy(u('https://example.com/'), 'example.com:443'), true);
    assert.equal(bypassesProxy(u('https://127.0.0.1:1/'), 'localhost, 127.0.0.1'), true);
    assert.equal(bypassesProxy(u('https://anything/'), '*'), true);
    assert.equal(bypassesProxy(u('https://anything/'), ''), false);
  });
  test('the environment: lower case wins, HTTPS_PROXY for https and HTTP_PROXY as its fallback, NO_PROXY bypasses', () => {
    const https = new URL('https://login.microsoftonline.com/x');
    const href = (env: Record<string, string>) => {
      const c = proxyFromEnv(https, env);
      return c.kind === 'direct' ? 'DIRECT' : c.proxy.href;
    };
    assert.equal(href({}), 'DIRECT');
    assert.equal(href({ HTTPS_PROXY: 'http://p:1' }), 'http://p:1/');
    assert.equal(href({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' }), 'http://lower:1/');
    assert.equal(href({ HTTP_PROXY: 'p:3128' }), 'http://p:3128/', 'host:port alone means http');
    assert.equal(href({ HTTPS_PROXY: 'http://p:1', NO_PROXY: 'microsoftonline.com' }), 'DIRECT');
    assert.equal(href({ HTTPS_PROXY: 'http://p:1', no_proxy: '', NO_PROXY: 'microsoftonline.com' }), 'http://p:1/', 'an empty no_proxy wins too');
    const c = proxyFromEnv(new URL('http://x/'), { HTTPS_PROXY: 'http://p:1' });
    assert.equal(c.kind, 'direct', 'HTTPS_PROXY is for https only');
  });
  test('proxy URLs: http and https only, and named by host:port without credentials', () => {
    assert.throws(() => parseProxyUrl('socks5://s:1080'), ClientAuthError);
    assert.throws(() => parseProxyUrl('http://'), ClientAuthError);
    assert.equal(proxyLabel(parseProxyUrl('http://user:secret@proxy.corp:8080')), 'proxy.corp:8080');
    assert.equal(proxyLabel(parseProxyUrl('https://proxy.corp')), 'proxy.corp:443');
    assert.equal(proxyLabel(parseProxyUrl('http://[::1]:3128')), '[::1]:3128');
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2025, 0, 1, 12, 0, 0);
  test('seconds and HTTP-dates; past, zero, garbage and non-GMT dates are no throttle; capped at an hour', () => {
    assert.equal(parseRetryAfter('120', now)?.getTime(), now + 120_000);
    assert.equal(parseRetryAfter(' 5 ', now)?.getTime(), now + 5_000);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 12:00:30 GMT', now)?.getTime(), now + 30_000);
    assert.equal(parseRetryAfter('0', now), undefined);
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 11:59:00 GMT', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter('1.5', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('2025-01-01T12:00:30', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('999999999', now)?.getTime(), now + MAX_RETRY_AFTER_MS);
  });
});

describe('what may be repeated, and what a throttle covers', () => {
  const token = new URL('https://login.example/tenant/oauth2/v2.0/token');
  const post = (params: Record<string, string>): RequestFacts => ({ method: 'POST', url: token, form: new URLSearchParams(params), hasAuthorization: false });
  test('by method and grant_type', () => {
    assert.equal(isRepeatable({ method: 'GET', url: token, form: undefined, hasAuthorization: false }), true, 'discovery, JWKS');
    assert.equal(isRepeatable({ method: 'GET', url: token, form: undefined, hasAuthorization: true }), false, "IWA's Negotiate GET (Kerberos replay cache)");
    for (const g of ['refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer', 'urn:ietf:params:oauth:grant-type:device_code']) {
      assert.equal(isRepeatable(post({ grant_type: g })), true, g);
    }
    for (const g of ['authorization_code', 'password', 'urn:custom', '']) assert.equal(isRepeatable(post({ grant_type: g })), false, g || 'no grant_type');
    assert.equal(isRepeatable({ method: 'POST', url: token, form: undefined, hasAuthorization: false }), false, 'a POST we cannot read');
    assert.equal(isRepeatable({ method: 'DELETE', url: token, form: undefined, hasAuthorization: false }), false);
  });
  test('throttle keys: client, endpoint, scopes (any order, any case), account (hashed); never a secret', () => {
    const rt = 'rt-secret-value';
    const k = throttleKey(post({ grant_type: 'refresh_token', client_id: 'c', scope: 'User.Read openid', refresh_token: rt }));
    assert.equal(k, throttleKey(post({ grant_type: 'refresh_token', client_id: 'c', scope: 'openid user.read', refresh_token: rt })));
    assert.notEqual(k, throttleKey(post({ grant_type: 'refresh_token', client_id: 'c', scope: 'openid Mail.Read', refresh_token: rt })));
    assert.notEqual(k, throttleKey(post({ grant_type: 'refresh_token', client_id: 'other', scope: 'openid user.read', refresh_token: rt })));
    assert.notEqual(k, throttleKey(post({ grant_type: 'refresh_token', client_id: 'c', scope: 'openid user.read', refresh_token: 'another-account' })));
    assert.doesNotMatch(k, /rt-secret/);
    // Code redemptions have no account yet: two codes for the same client and scopes share a key.
    const code = (c: string) => throttleKey(post({ grant_type: 'authorization_code', client_id: 'c', scope: 's', code: c }));
    assert.equal(code('code-1'), code('code-2'));
    assert.doesNotMatch(code('code-1'), /code-1/);
  });
});
