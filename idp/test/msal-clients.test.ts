// What real MSAL clients send, at the IdP's own level (issue 12; the whole flows with the real
// @azure/msal-node are in electron/core/test/msal-node-interop.test.ts): Entra's `grant_type=device_code`,
// loopback redirects without a path with response_mode=form_post, and Entra's short `scp`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { loopbackRedirectUris } from '../clients.js';
import { scpOf } from '../resources.js';
import { createSettings } from '../settings.js';
import { MemoryStore } from '../store.js';
import { DEVICE_CODE_GRANT, withStandardGrantType } from '../token-prechecks.js';
import { SCOPES } from '../index.js';
import { client, discover, noAuth, startTestIdp, type TestIdp } from './helpers.js';

describe('MSAL request shapes (pure)', () => {
  it("grant_type=device_code is RFC 8628's URN; other grant types and repeated ones are left alone", () => {
    const rewritten = withStandardGrantType(new URLSearchParams('grant_type=device_code&device_code=abc&client_id=x'));
    assert.deepEqual(Object.fromEntries(rewritten!), { grant_type: DEVICE_CODE_GRANT, device_code: 'abc', client_id: 'x' });
    assert.equal(withStandardGrantType(new URLSearchParams(`grant_type=${encodeURIComponent(DEVICE_CODE_GRANT)}`)), undefined);
    assert.equal(withStandardGrantType(new URLSearchParams('grant_type=refresh_token')), undefined);
    assert.equal(withStandardGrantType(new URLSearchParams('grant_type=device_code&grant_type=device_code')), undefined);
    assert.equal(withStandardGrantType(new URLSearchParams('grant_type=toString')), undefined, 'not an inherited property');
  });

  it("scp names custom API scopes without the API's prefix; Graph's stay as they are", () => {
    assert.equal(scpOf(SCOPES.sampleApi), 'access_as_user');
    assert.equal(scpOf('API://Sample-API/access_as_user'), 'access_as_user');
    assert.equal(scpOf(SCOPES.userRead), 'User.Read');
    assert.equal(scpOf('openid profile'), 'openid profile');
    assert.equal(scpOf(''), '');
  });

  it('loopback redirect URIs without a path are registered, for 127.0.0.1 and localhost', () => {
    const uris = loopbackRedirectUris();
    for (const uri of ['http://localhost', 'http://127.0.0.1', 'http://localhost/', 'http://127.0.0.1/callback']) assert.ok(uris.includes(uri), uri);
  });

  it("refresh token reuse defaults to 'allow' and refuses anything but allow/revoke", () => {
    assert.equal(createSettings().refreshTokenReuse, 'allow');
    assert.equal(createSettings({}, {}, 'revoke').refreshTokenReuse, 'revoke');
    assert.throws(() => createSettings({}, {}, 'never' as never), { code: 'invalid_refresh_token_reuse' });
  });

  it('the store records no consumption for a model it keeps usable', async () => {
    const store = new MemoryStore();
    let keep = true;
    const Adapter = store.adapterFor('t', (model) => keep && model === 'RefreshToken');
    const [rt, code] = [new Adapter('RefreshToken'), new Adapter('AuthorizationCode')];
    await rt.upsert('a', { jti: 'a' }, 60);
    await code.upsert('b', { jti: 'b' }, 60);
    await Promise.all([rt.consume('a'), code.consume('b')]);
    assert.equal((await rt.find('a'))?.consumed, undefined);
    assert.equal(typeof (await code.find('b'))?.consumed, 'number');
    keep = false; // asked on each consume, so a control takes effect at once
    await rt.consume('a');
    assert.equal(typeof (await rt.find('a'))?.consumed, 'number');
  });
});

describe('MSAL request shapes at the IdP', () => {
  let idp: TestIdp;
  let as: oauth.AuthorizationServer;
  before(async () => {
    idp = await startTestIdp();
    as = await discover(idp);
  });
  after(() => idp?.close());

  it('the device code grant answers grant_type=device_code like the URN (authorization_pending)', async () => {
    const device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, noAuth, { scope: 'openid offline_access User.Read' }, idp.http));
    const response = await oauth.genericTokenEndpointRequest(as, client, noAuth, 'device_code', { device_code: device.device_code }, idp.http);
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'authorization_pending');
  });

  it('an authorization request with redirect_uri http://localhost:<port> (no path) and response_mode=form_post is accepted', async () => {
    const url = new URL(as.authorization_endpoint!);
    const verifier = oauth.generateRandomCodeVerifier();
    for (const [k, v] of Object.entries({
      client_id: client.client_id,
      response_type: 'code',
      response_mode: 'form_post',
      redirect_uri: 'http://localhost:49152',
      scope: 'openid profile offline_access User.Read',
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's',
    })) url.searchParams.set(k, v);
    const response = await idp.fetch(url);
    assert.equal(response.status, 303, 'redirected to the sign-in step, not an invalid_redirect_uri page');
    assert.match(response.headers.get('location') ?? '', /\/interaction\//);
  });
});
