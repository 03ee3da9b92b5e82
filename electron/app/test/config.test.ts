import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ConfigError, DEFAULT_CONFIG, resolveConfig } from '../config.js';

test('with no file and no environment the app points at the local IdP', () => {
  const config = resolveConfig(undefined, {});
  assert.equal(config.authority, null);
  assert.equal(config.clientId, 'desktop-sample');
  assert.deepEqual(config.signInScopes, ['User.Read']);
  assert.equal(config.allowUsernamePassword, false);
  assert.equal(config.iwa.enabled, false);
});

test('a real Entra tenant is a file away', () => {
  const config = resolveConfig(
    {
      authority: 'https://login.microsoftonline.com/organizations/',
      clientId: '00000000-1111-2222-3333-444444444444',
      apis: [{ id: 'graph', label: 'Microsoft Graph', scopes: ['User.Read', 'Mail.Read'] }],
    },
    {},
  );
  assert.equal(config.authority, 'https://login.microsoftonline.com/organizations');
  assert.deepEqual(config.signInScopes, ['User.Read', 'Mail.Read']);
  assert.equal(config.apis.length, 1);
});

test('the environment overrides the file', () => {
  const config = resolveConfig(
    { clientId: 'from-file', iwa: { enabled: false } },
    { AUTH_CLIENT_ID: 'from-env', AUTH_IWA: '1', AUTH_SIGNIN_SCOPES: 'openid User.Read', AUTH_LOOPBACK_PORT: '53123' },
  );
  assert.equal(config.clientId, 'from-env');
  assert.equal(config.iwa.enabled, true);
  assert.deepEqual(config.signInScopes, ['openid', 'User.Read']);
  assert.equal(config.loopbackPort, 53123);
});

test('bad values are named in a typed error', () => {
  const cases: [unknown, Record<string, string>, string][] = [
    [{ authority: 'http://login.example.com/x' }, {}, 'authority'],
    [{ authority: 'not a url' }, {}, 'authority'],
    [{ protocolMode: 'saml' }, {}, 'protocolMode'],
    [{ apis: [{ id: 'x', label: 'X', scopes: [] }] }, {}, 'apis[0].scopes'],
    [{}, { AUTH_IWA: 'maybe' }, 'iwa.enabled'],
    [{}, { AUTH_LOOPBACK_PORT: '70000' }, 'loopbackPort'],
    [[1, 2], {}, '(file)'],
  ];
  for (const [file, env, field] of cases) {
    assert.throws(() => resolveConfig(file, env), (e: unknown) => e instanceof ConfigError && e.field === field && e.code === 'invalid_config');
  }
});

test('resolving never mutates the defaults', () => {
  resolveConfig({ apis: [{ id: 'a', label: 'A', scopes: ['x'] }] }, { AUTH_IWA: 'true' });
  assert.equal(DEFAULT_CONFIG.iwa.enabled, false);
  assert.equal(DEFAULT_CONFIG.apis.length, 2);
});

test('the sample API may be http on loopback only', () => {
  assert.equal(resolveConfig({ sampleApiUrl: 'http://127.0.0.1:5050/' }, {}).sampleApiUrl, 'http://127.0.0.1:5050');
  assert.equal(resolveConfig({}, { SAMPLE_API_URL: 'https://api.contoso.com' }).sampleApiUrl, 'https://api.contoso.com');
  assert.throws(() => resolveConfig({ sampleApiUrl: 'http://api.contoso.com' }, {}), (e: unknown) => e instanceof ConfigError && e.field === 'sampleApiUrl');
  assert.throws(() => resolveConfig({ authority: 'http://127.0.0.1:5443/contoso' }, {}), (e: unknown) => e instanceof ConfigError && e.field === 'authority');
});

test('client capabilities: cp1 by default, from the file or AUTH_CLIENT_CAPABILITIES, [] for none, checked', () => {
  assert.deepEqual(resolveConfig(undefined, {}).clientCapabilities, ['cp1']);
  assert.deepEqual(resolveConfig({ clientCapabilities: [] }, {}).clientCapabilities, []);
  assert.deepEqual(resolveConfig({ clientCapabilities: ['cp1'] }, { AUTH_CLIENT_CAPABILITIES: 'cp1, cp2' }).clientCapabilities, ['cp1', 'cp2']);
  assert.deepEqual(resolveConfig(undefined, { AUTH_CLIENT_CAPABILITIES: '' }).clientCapabilities, []);
  for (const bad of [42, [1], ['a b'], ['"x"']]) {
    assert.throws(() => resolveConfig({ clientCapabilities: bad }, {}), (e: unknown) => e instanceof ConfigError && e.field === 'clientCapabilities');
  }
});

test('loopbackPortStrict: off by default, from the file or AUTH_LOOPBACK_PORT_STRICT, and only with a loopbackPort', () => {
  assert.equal(resolveConfig(undefined, {}).loopbackPortStrict, false);
  const strict = resolveConfig({ loopbackPort: 53123, loopbackPortStrict: true }, {});
  assert.deepEqual([strict.loopbackPort, strict.loopbackPortStrict], [53123, true]);
  assert.equal(resolveConfig({ loopbackPort: 53123 }, { AUTH_LOOPBACK_PORT_STRICT: '1' }).loopbackPortStrict, true);
  assert.throws(() => resolveConfig({ loopbackPortStrict: true }, {}), (e: Error & { field?: string }) => e.field === 'loopbackPortStrict');
  assert.throws(() => resolveConfig({ loopbackPort: 53123, loopbackPortStrict: 'yes' }, {}), (e: Error & { field?: string }) => e.field === 'loopbackPortStrict');
});

test("an OpenID Provider's authority keeps its trailing `/` (its issuer, compared exactly); Entra's loses it", () => {
  assert.equal(resolveConfig({ authority: 'https://op.example/tenant/', protocolMode: 'oidc' }, {}).authority, 'https://op.example/tenant/');
  assert.equal(resolveConfig({ authority: 'https://op.example/tenant/' }, { AUTH_PROTOCOL_MODE: 'oidc' }).authority, 'https://op.example/tenant/');
  assert.equal(resolveConfig({ authority: 'https://login.microsoftonline.com/contoso/' }, {}).authority, 'https://login.microsoftonline.com/contoso');
});
