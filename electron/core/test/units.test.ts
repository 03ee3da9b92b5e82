// Small pure parts: scopes, cache indexing, redaction, errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScopeSet } from '../scopes.js';
import { TokenCache } from '../cache/token-cache.js';
import { redactText, ServerError, safeCause } from '../errors.js';
import { idpCode } from '../protocol-errors.js';
import { redacting } from '../logger.js';
import { resolveIssuer } from '../authority.js';
import { PublicClientApplication, ClientAuthError } from '../index.js';

test('ScopeSet: case-insensitive, de-duplicated, OIDC scopes apart', () => {
  const s = ScopeSet.from(['User.Read', 'user.read', ' openid ', 'Mail.Send']);
  assert.deepEqual(s.values, ['User.Read', 'openid', 'Mail.Send']);
  assert.ok(s.has('USER.READ'));
  assert.deepEqual(s.withoutOidc().values, ['User.Read', 'Mail.Send']);
  assert.deepEqual(ScopeSet.from('User.Read').forRequest().values, ['User.Read', 'openid', 'profile', 'offline_access']);
  assert.ok(ScopeSet.from('a B c').containsAll(ScopeSet.from(['b', 'A'])));
  assert.ok(!ScopeSet.from('a').containsAll(ScopeSet.from('a b')));
  assert.equal(ScopeSet.from('b A').key(), ScopeSet.from(['a', 'B']).key());
});

function at(home: string, realm: string, target: string, secret: string) {
  return {
    home_account_id: home,
    environment: 'idp.test',
    credential_type: 'AccessToken' as const,
    client_id: 'c',
    secret,
    realm,
    target,
    cached_at: '1',
    expires_on: '9999999999',
  };
}

test('TokenCache: index lookup by account/realm/scopes; overlapping scopes replaced; account removal complete', async () => {
  const cache = new TokenCache();
  await cache.write(() => {
    for (let i = 0; i < 1000; i++) cache.saveTokens({ accessToken: at(`u${i}.t`, 't', 'User.Read', `s${i}`) });
    cache.saveTokens({ accessToken: at('u1.t', 't', 'Mail.Read Mail.Send', 'mail') });
    cache.saveTokens({ accessToken: at('u1.t', 't2', 'User.Read', 'other-tenant') });
  });
  const found = await cache.read(() => cache.findAccessToken('U1.T', 'idp.test', 'c', 't', ScopeSet.from('mail.send')));
  assert.equal(found?.secret, 'mail');
  assert.equal((await cache.read(() => cache.findAccessToken('u1.t', 'idp.test', 'c', 't2', ScopeSet.from('User.Read'))))?.secret, 'other-tenant');
  assert.equal(await cache.read(() => cache.findAccessToken('u1.t', 'idp.test', 'c', 't', ScopeSet.from('Files.Read'))), undefined);
  // A new token with an overlapping scope replaces the old one (as MSAL does).
  await cache.write(() => cache.saveTokens({ accessToken: at('u1.t', 't', 'Mail.Read', 'mail2') }));
  assert.equal((await cache.read(() => cache.findAccessToken('u1.t', 'idp.test', 'c', 't', ScopeSet.from('Mail.Read'))))?.secret, 'mail2');
  assert.equal(await cache.read(() => cache.findAccessToken('u1.t', 'idp.test', 'c', 't', ScopeSet.from('Mail.Send'))), undefined);
  assert.equal(cache.counts().AccessToken, 1002);
  await cache.write(() => cache.removeAccount('u1.t'));
  assert.equal(cache.counts().AccessToken, 999);
  // Round trip through the MSAL JSON keeps the indexes working.
  const copy = new TokenCache();
  copy.deserialize(cache.serialize());
  assert.equal((await copy.read(() => copy.findAccessToken('u7.t', 'idp.test', 'c', 't', ScopeSet.from('user.read'))))?.secret, 's7');
  assert.throws(() => copy.deserialize('{"AccessToken": []}'), ClientAuthError);
  assert.throws(() => copy.deserialize('nope'), ClientAuthError);
});

test('redaction: JWTs, token parameters and long opaque strings never survive', () => {
  const part = (value: object | string) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
  const jwt = [part({ alg: 'RS256' }), part({ sub: 'x' }), part('signature')].join('.'); // generated, not a real token
  assert.doesNotMatch(redactText(`token ${jwt}`), /eyJ/);
  assert.equal(redactText('code=abc123&state=x'), 'code=[redacted]&state=x');
  assert.doesNotMatch(redactText('refresh_token=0.AAAAxyz'), /AAAAxyz/);
  const lines: string[] = [];
  redacting({ log: (_l, m, c) => lines.push(m + JSON.stringify(c)) }).log('info', `got ${jwt}`, { body: `password=hunter2` });
  assert.doesNotMatch(lines.join(), /eyJ|hunter2/);
  const cause = safeCause(Object.assign(new Error(`bad ${jwt}`), { body: { access_token: 'secret' } }));
  assert.doesNotMatch(JSON.stringify(cause) + String(cause), /eyJ|secret/);
  const e = new ServerError(idpCode('invalid_grant'), 'x', { correlationId: 'c' });
  assert.ok(e instanceof Error && e.code === 'invalid_grant' && e.name === 'ServerError');
});

test("Entra's {tenantid} issuer template resolves from tid only", () => {
  assert.equal(resolveIssuer('https://h/{tenantid}/v2.0', { tid: 'abc' }), 'https://h/abc/v2.0');
  assert.equal(resolveIssuer('https://h/t/v2.0', { tid: 'abc' }), 'https://h/t/v2.0');
});

test('configuration errors are ClientAuthErrors', async () => {
  await assert.rejects(PublicClientApplication.create({ auth: { clientId: '', authority: 'https://x' } }), ClientAuthError);
  await assert.rejects(PublicClientApplication.create({ auth: { clientId: 'c', authority: 'http://x' } }), /https/);
  await assert.rejects(PublicClientApplication.create({ auth: { clientId: 'c', authority: 'https://evil.test/t', knownAuthorities: ['good.test'] } }), /knownAuthorities/);
});

test('the redirect page is self-contained and the listener answers only on 127.0.0.1', async () => {
  const { startLoopback } = await import('../flows/loopback.js');
  const lb = await startLoopback({ timeoutMs: 10_000, expectedState: 's' });
  try {
    assert.match(lb.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const favicon = await fetch(new URL('/favicon.ico', lb.redirectUri));
    assert.equal(favicon.status, 404, 'other paths do not end the flow');
    const page = await fetch(`${lb.redirectUri}?code=secret-code-value&state=s`);
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(html, /You are signed in/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(html, /https?:\/\/|secret-code-value/, 'loads nothing, echoes nothing');
    assert.equal((await lb.result).get('code'), 'secret-code-value');
  } finally {
    await lb.close();
  }
});

test('layering: nothing in electron/core imports electron', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const root = join(import.meta.dirname, '..');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
  for (const f of files) {
    const text = await readFile(join(root, f), 'utf8');
    assert.doesNotMatch(text, /from ['"]electron['"]|require\(['"]electron['"]\)|import\(['"]electron['"]\)/, f);
  }
});

test('a refresh token is dead only on invalid_grant without a suberror, or bad_token', async () => {
  const { refreshTokenIsDead } = await import('../flows/refresh.js');
  const { InteractionRequiredAuthError } = await import('../errors.js');
  const error = (code: string, subError?: string) => new InteractionRequiredAuthError(idpCode(code), 'x', subError ? { subError } : {});
  assert.equal(refreshTokenIsDead(error('invalid_grant')), true);
  assert.equal(refreshTokenIsDead(error('invalid_grant', 'bad_token')), true);
  assert.equal(refreshTokenIsDead(error('invalid_grant', 'consent_required')), false);
  assert.equal(refreshTokenIsDead(error('invalid_grant', 'basic_action')), false);
  assert.equal(refreshTokenIsDead(error('interaction_required')), false);
});
