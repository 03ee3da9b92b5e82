import { test } from 'node:test';
import assert from 'node:assert/strict';
import { methods, events, methodNames, eventNames, methodChannel, eventChannel, isMethodName } from '../ipc-contract.js';
import { z } from 'zod';
import { check, safeIssues } from '../validation.js';
import { accountViewSchema, isSafeLink, tokenTableViewSchema, tokenViewSchema } from '../views.js';

const token = {
  homeAccountId: 'uid.utid',
  requestedScopes: ['User.Read'],
  grantedScopes: ['User.Read'],
  expiresOn: 2_000_000,
  source: 'cache',
  fromCache: true,
  idTokenClaims: { name: 'Alice', roles: ['a'], nested: { x: 1 } },
  accessTokenMasked: 'eyJh…1234 (900 chars)',
};

test('the contract lists the methods and events the app relies on', () => {
  assert.deepEqual(methodNames.sort(), [
    'callSampleApi', 'cancelSignIn', 'copyAccessToken', 'getState', 'getToken', 'listTokens', 'openVerificationUri', 'removeAccount', 'setIwaEnabled', 'signIn', 'signOutAll', 'switchAccount',
  ]);
  assert.deepEqual(eventNames.sort(), ['activity', 'deviceCode', 'signInProgress', 'stateChanged', 'tokensChanged']);
  assert.equal(methodChannel('getToken'), 'authApp:invoke:getToken');
  assert.equal(eventChannel('activity'), 'authApp:event:activity');
  assert.equal(isMethodName('toString'), false, 'prototype names are not methods');
  assert.equal(isMethodName('__proto__'), false);
});

test('responses strip fields the contract does not name: a refresh token cannot leak through a view', () => {
  const leaky = { ...token, refreshToken: 'RT-secret', accessToken: 'AT-secret' };
  const parsed = check(tokenViewSchema, leaky);
  assert.ok(parsed.ok);
  assert.deepEqual(Object.keys(parsed.value).sort(), Object.keys(token).sort());
  assert.ok(!JSON.stringify(parsed.value).includes('secret'));
});

test('the token table carries no token value: access and refresh token fields are dropped at every level', () => {
  const row = {
    id: 'r1', resource: 'api://sample-api', grantedScopes: ['api://sample-api/access_as_user'], requestScopes: ['api://sample-api/access_as_user'],
    realm: 'tid', cachedAt: 1, expiresOn: 2, callable: true,
  };
  const leaky = {
    homeAccountId: 'uid.utid',
    tokens: [{ ...row, secret: 'AT-secret', accessToken: 'AT-secret', access_token: 'AT-secret' }],
    refreshToken: { present: true, clientId: 'c', secret: 'RT-secret', refreshToken: 'RT-secret', refresh_token: 'RT-secret' },
    refreshTokenValue: 'RT-secret',
  };
  for (const schema of [tokenTableViewSchema, methods.listTokens.response, events.tokensChanged.payload]) {
    const parsed = check(schema, leaky);
    assert.ok(parsed.ok);
    assert.ok(!JSON.stringify(parsed.value).includes('secret'), 'no token value passes');
    assert.deepEqual(Object.keys(parsed.value.tokens[0]!).sort(), Object.keys(row).sort());
    assert.deepEqual(Object.keys(parsed.value.refreshToken).sort(), ['clientId', 'present']);
  }
});

test('zod v4 objects strip unknown keys by default: the property every view relies on', () => {
  const plain = z.object({ a: z.string() }).safeParse({ a: 'x', refreshToken: 'RT-secret' });
  assert.deepEqual(plain.success && plain.data, { a: 'x' });
  const account = { homeAccountId: 'h', name: 'n', username: 'u', tenantId: 't', homeTenantId: 't', isGuest: false, initials: 'N' };
  const parsed = accountViewSchema.safeParse({ ...account, refresh_token: 'RT-secret' });
  assert.deepEqual(parsed.success && parsed.data, account);
});

test('requests are strict: unknown fields, bad scopes and wrong types are refused with a path', () => {
  const getToken = methods.getToken.request;
  assert.ok(check(getToken, { homeAccountId: 'a', scopes: ['User.Read'], forceRefresh: true }).ok);
  const extra = check(getToken, { homeAccountId: 'a', scopes: [], evil: 1 });
  assert.deepEqual(extra.ok ? [] : extra.issues, ['(root): has 1 unexpected field(s)']);
  const badScope = check(getToken, { homeAccountId: 'a', scopes: ['User.Read "x"'] });
  assert.deepEqual(badScope.ok ? [] : badScope.issues, ['scopes[0]: has an unexpected format']);
  const wrongType = check(getToken, { homeAccountId: 'a', scopes: 'User.Read' });
  assert.deepEqual(wrongType.ok ? [] : wrongType.issues, ['scopes: expected an array']);
  assert.equal(check(getToken, { homeAccountId: '', scopes: [] }).ok, false);
  const odd = check(getToken, Object.assign(Object.create({ polluted: true }), { homeAccountId: 'a', scopes: [] }));
  assert.deepEqual(odd.ok ? [] : odd.issues, ['(root): expected an object'], 'odd prototypes are not plain objects');
  class Request { homeAccountId = 'a'; scopes = []; }
  assert.equal(check(getToken, new Request()).ok, false, 'nor are class instances');
  for (const name of methodNames) {
    const extraField = check(methods[name].request, { homeAccountId: 'a', scopes: [], enabled: true, endpoint: 'me', unknownField: 1 });
    assert.equal(extraField.ok, false, `${name} refuses a field it does not name`);
  }
});

test('methods with no argument accept only undefined; signIn accepts nothing or an options object', () => {
  assert.ok(check(methods.getState.request, undefined).ok);
  const nul = check(methods.getState.request, null);
  assert.deepEqual(nul.ok ? [] : nul.issues, ['(root): expected no argument']);
  assert.equal(check(methods.getState.request, {}).ok, false);
  assert.equal(check(methods.signOutAll.request, 0).ok, false);
  assert.ok(check(methods.signIn.request, undefined).ok);
  assert.ok(check(methods.signIn.request, { flow: 'device-code' }).ok);
  assert.equal(check(methods.signIn.request, { flow: 'password' }).ok, false);
  assert.equal(check(methods.signIn.request, { flow: 'auto', extra: true }).ok, false);
});

test('ID token claims must be JSON and bounded', () => {
  const fn = check(tokenViewSchema, { ...token, idTokenClaims: { f: () => 1 } });
  assert.deepEqual(fn.ok ? [] : fn.issues, ['idTokenClaims.f: not a JSON value']);
  assert.equal(check(tokenViewSchema, { ...token, idTokenClaims: { n: Number.NaN } }).ok, false);
  assert.equal(check(tokenViewSchema, { ...token, idTokenClaims: ['not', 'an', 'object'] }).ok, false);
  assert.equal(check(tokenViewSchema, { ...token, idTokenClaims: undefined }).ok, false);
  let deep: unknown = 1;
  for (let i = 0; i < 20; i++) deep = { deep };
  const tooDeep = check(tokenViewSchema, { ...token, idTokenClaims: { deep } });
  assert.ok(!tooDeep.ok && /^idTokenClaims(\.deep)+: nested too deeply$/.test(tooDeep.issues[0]!), String(!tooDeep.ok && tooDeep.issues));
  const wide = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`c${i}`, i]));
  assert.equal(check(tokenViewSchema, { ...token, idTokenClaims: wide }).ok, false);
  assert.equal(check(tokenViewSchema, { ...token, idTokenClaims: { a: Array(501).fill(0) } }).ok, false);
  const body = check(methods.callSampleApi.response, { status: 200, url: 'https://api.example/me', body: [1, 'two', null, { three: true }] });
  assert.deepEqual(body.ok && body.value.body, [1, 'two', null, { three: true }]);
});

test('device code events accept null (flow ended) or a view with an https link (http only on loopback)', () => {
  const payload = events.deviceCode.payload;
  assert.ok(check(payload, null).ok);
  const view = { userCode: 'ABCD-EFGH', verificationUri: 'https://idp.example/device', expiresOn: 1, message: 'Go there' };
  assert.ok(check(payload, view).ok);
  for (const uri of ['http://127.0.0.1:3000/device', 'http://localhost/device', 'http://[::1]:8080/device']) {
    assert.ok(check(payload, { ...view, verificationUri: uri, verificationUriComplete: uri }).ok, uri);
  }
  for (const uri of ['javascript:alert(1)', 'http://idp.example/device', 'http://127.0.0.1.evil.example/', 'https://user:pw@idp.example/', 'file:///etc/passwd', 'not a url']) {
    const refused = check(payload, { ...view, verificationUri: uri });
    assert.deepEqual(refused.ok ? [] : refused.issues, ['verificationUri: must be an https link (http only on loopback)'], uri);
    assert.equal(check(payload, { ...view, verificationUriComplete: uri }).ok, false, uri);
    assert.equal(isSafeLink(uri), false, uri);
  }
  assert.equal(check(payload, { ...view, verificationUri: `https://idp.example/${'a'.repeat(2048)}` }).ok, false, 'bounded');
});

test('issues name paths and rules only: a secret-looking input value never appears in them', () => {
  const secret = 'eyJSECRETvalue.RT-0123456789';
  const inputs: Array<[z.ZodType, unknown]> = [
    [methods.getToken.request, { homeAccountId: 'a', scopes: [], [secret]: secret }], // unrecognized_keys
    [methods.getToken.request, { homeAccountId: 1, scopes: [secret] }], // invalid_type + format (a quote-free secret is a valid scope)
    [methods.getToken.request, { homeAccountId: 'a', scopes: [`${secret} "x"`] }], // invalid_format
    [methods.getToken.request, { homeAccountId: secret.repeat(100), scopes: [] }], // too_big
    [methods.callSampleApi.request, { homeAccountId: 'a', endpoint: secret }], // invalid_value
    [methods.signIn.request, { flow: secret }], // invalid_value inside an optional object
    [methods.getState.request, secret], // invalid_type (void)
    [methods.setIwaEnabled.request, { enabled: secret }], // invalid_type
    [tokenViewSchema, { ...token, idTokenClaims: { [secret]: () => secret } }], // custom, key from the data
    [events.deviceCode.payload, { userCode: 'A', verificationUri: `http://${secret}.example/`, expiresOn: 1, message: 'm' }], // custom link rule
    [tokenViewSchema, { ...token, source: secret, expiresOn: secret, grantedScopes: Array(60).fill(secret) }],
  ];
  for (const [schema, input] of inputs) {
    const result = check(schema, input);
    assert.equal(result.ok, false, JSON.stringify(input).slice(0, 80));
    const issues = result.ok ? [] : result.issues;
    assert.ok(issues.length > 0);
    for (const issue of issues) assert.match(issue, /^[^:]+: [a-z]/, issue);
    assert.ok(!issues.join('\n').includes('SECRET'), issues.join('; '));
    // zod's own messages do echo some of these: that is why they are not used.
    const raw = schema.safeParse(input);
    if (schema === methods.getToken.request && !raw.success && raw.error.issues.some((i) => i.code === 'unrecognized_keys')) {
      assert.ok(raw.error.message.includes('SECRET'), 'zod names the key in its message');
    }
  }
});

test('many issues are capped, and a value that cannot be read is an issue, not a throw', () => {
  const many = check(z.array(z.string()), Array(50).fill(1));
  assert.ok(!many.ok);
  assert.equal(many.issues.length, 11);
  assert.equal(many.issues.at(-1), '(and 40 more)');
  const hostile = Object.defineProperty({ scopes: [] }, 'homeAccountId', { enumerable: true, get: () => { throw new Error('hostile getter'); } });
  assert.deepEqual(check(tokenViewSchema, hostile), { ok: false, issues: ['(root): could not be read'] });
  assert.deepEqual(safeIssues([]), []);
});
