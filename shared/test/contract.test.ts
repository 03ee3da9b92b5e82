import { test } from 'node:test';
import assert from 'node:assert/strict';
import { methods, events, methodNames, eventNames, methodChannel, eventChannel, isMethodName } from '../ipc-contract.js';
import { tokenTableViewSchema, tokenViewSchema } from '../views.js';

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
    'callSampleApi', 'cancelSignIn', 'copyAccessToken', 'getState', 'getToken', 'listTokens', 'removeAccount', 'setIwaEnabled', 'signIn', 'signOutAll', 'switchAccount',
  ]);
  assert.deepEqual(eventNames.sort(), ['activity', 'deviceCode', 'signInProgress', 'stateChanged', 'tokensChanged']);
  assert.equal(methodChannel('getToken'), 'authApp:invoke:getToken');
  assert.equal(eventChannel('activity'), 'authApp:event:activity');
  assert.equal(isMethodName('toString'), false, 'prototype names are not methods');
  assert.equal(isMethodName('__proto__'), false);
});

test('responses strip fields the contract does not name: a refresh token cannot leak through a view', () => {
  const leaky = { ...token, refreshToken: 'RT-secret', accessToken: 'AT-secret' };
  const parsed = tokenViewSchema.parse(leaky);
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
    const parsed = schema.parse(leaky);
    assert.ok(parsed.ok);
    assert.ok(!JSON.stringify(parsed.value).includes('secret'), 'no token value passes');
    assert.deepEqual(Object.keys(parsed.value.tokens[0]!).sort(), Object.keys(row).sort());
    assert.deepEqual(Object.keys(parsed.value.refreshToken).sort(), ['clientId', 'present']);
  }
});

test('requests are strict: unknown fields, bad scopes and wrong types are refused with a path', () => {
  const getToken = methods.getToken.request;
  assert.ok(getToken.parse({ homeAccountId: 'a', scopes: ['User.Read'], forceRefresh: true }).ok);
  const extra = getToken.parse({ homeAccountId: 'a', scopes: [], evil: 1 });
  assert.deepEqual(extra.ok ? [] : extra.issues, ['(root): unexpected field(s) evil']);
  const badScope = getToken.parse({ homeAccountId: 'a', scopes: ['User.Read "x"'] });
  assert.deepEqual(badScope.ok ? [] : badScope.issues, ['scopes[0]: has an unexpected format']);
  assert.equal(getToken.parse({ homeAccountId: '', scopes: [] }).ok, false);
  assert.equal(getToken.parse(Object.assign(Object.create({ polluted: true }), { homeAccountId: 'a', scopes: [] })).ok, false, 'class instances and odd prototypes are not plain objects');
});

test('methods with no argument accept only nothing; signIn accepts nothing or an options object', () => {
  assert.ok(methods.getState.request.parse(undefined).ok);
  assert.equal(methods.getState.request.parse({}).ok, false);
  assert.ok(methods.signIn.request.parse(undefined).ok);
  assert.ok(methods.signIn.request.parse({ flow: 'device-code' }).ok);
  assert.equal(methods.signIn.request.parse({ flow: 'password' }).ok, false);
});

test('ID token claims must be JSON and bounded', () => {
  assert.equal(tokenViewSchema.parse({ ...token, idTokenClaims: { f: () => 1 } }).ok, false);
  let deep: unknown = 1;
  for (let i = 0; i < 20; i++) deep = { deep };
  assert.equal(tokenViewSchema.parse({ ...token, idTokenClaims: { deep } }).ok, false);
});

test('device code events accept null (flow ended) or a view with an http(s) link only', () => {
  const payload = events.deviceCode.payload;
  assert.ok(payload.parse(null).ok);
  const view = { userCode: 'ABCD-EFGH', verificationUri: 'https://idp.example/device', expiresOn: 1, message: 'Go there' };
  assert.ok(payload.parse(view).ok);
  assert.equal(payload.parse({ ...view, verificationUri: 'javascript:alert(1)' }).ok, false);
});
