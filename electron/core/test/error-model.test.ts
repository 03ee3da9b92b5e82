// Issue 13's error model at run time: oauth4webapi's errors are classified by `code` and structured
// `cause` (real oauth4webapi calls on real Responses, no message text involved); Entra discovery uses
// its public API with the document's own issuer only when that has an Entra issuer's shape; one module
// builds cache entities and decides renewal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { SignJWT, generateKeyPair } from 'jose';
import { mapProtocolError } from '../protocol-errors.js';
import { metadataForTokenResponse } from '../authority.js';
import { accessTokenEntity, renewalOf, DEFAULT_EXPIRES_IN_SECONDS } from '../cache/entities.js';
import { ScopeSet } from '../scopes.js';
import { PublicClientApplication, ClientAuthError } from '../index.js';
import { startHostileOp, serveDiscoveryDocument, type HostileOp } from '../../../testkit/hostile-op.js';

const as: oauth.AuthorizationServer = {
  issuer: 'https://op.example/tenant/v2.0',
  token_endpoint: 'https://op.example/tenant/token',
  id_token_signing_alg_values_supported: ['RS256'],
};
const client: oauth.Client = { client_id: 'client' };
const jsonResponse = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
const codeOf = async (p: Promise<unknown> | (() => unknown), step: Parameters<typeof mapProtocolError>[1] = 'token', facts = {}) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return mapProtocolError(err, step, facts).code;
  }
  return 'no error';
};

test('redirect checks: a wrong or missing state is state_mismatch; a wrong iss is not', async () => {
  const withIss = { ...as, authorization_response_iss_parameter_supported: true };
  const wrongState = new URLSearchParams({ code: 'c', state: 'other', iss: as.issuer });
  assert.equal(await codeOf(() => oauth.validateAuthResponse(withIss, client, wrongState, 'expected-state'), 'authorize'), 'state_mismatch');
  const noState = new URLSearchParams({ code: 'c', iss: as.issuer });
  assert.equal(await codeOf(() => oauth.validateAuthResponse(withIss, client, noState, 'expected-state'), 'authorize'), 'state_mismatch');
  const unexpected = new URLSearchParams({ code: 'c', state: 's' });
  assert.equal(await codeOf(() => oauth.validateAuthResponse(as, client, unexpected, oauth.expectNoState), 'authorize'), 'state_mismatch');
  const wrongIss = new URLSearchParams({ code: 'c', state: 'expected-state', iss: 'https://evil.example/' });
  assert.equal(await codeOf(() => oauth.validateAuthResponse(withIss, client, wrongIss, 'expected-state'), 'authorize'), 'invalid_response');
});

test('token bodies: no access token is missing_access_token (token step only); other bad fields are invalid_response', async () => {
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, jsonResponse({ token_type: 'Bearer' }))), 'missing_access_token');
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, jsonResponse({ access_token: 'at' }))), 'invalid_response');
  // The device authorization response has no access token either, and that is not what is wrong with it.
  const device = { ...as, device_authorization_endpoint: 'https://op.example/device' };
  const noDeviceCode = jsonResponse({ user_code: 'U', verification_uri: 'https://op.example/d', expires_in: 60 });
  assert.equal(await codeOf(oauth.processDeviceAuthorizationResponse(device, client, noDeviceCode), 'device_authorization'), 'invalid_response');
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, new Response('{', { status: 200, headers: { 'content-type': 'application/json' } }))), 'invalid_json');
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, new Response('<html>', { status: 200, headers: { 'content-type': 'text/html' } }))), 'invalid_json');
});

test('ID tokens: a refused alg is id_token_unsupported_alg; an unparsable one is id_token_malformed when the body was JSON', async () => {
  const { privateKey } = await generateKeyPair('ES256');
  const es256 = await new SignJWT({ sub: 's', aud: 'client', iss: as.issuer }).setProtectedHeader({ alg: 'ES256' }).setIssuedAt().setExpirationTime('5m').sign(privateKey);
  const body = { access_token: 'at', token_type: 'Bearer', id_token: es256 };
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, jsonResponse(body))), 'id_token_unsupported_alg');
  const garbage = { access_token: 'at', token_type: 'Bearer', id_token: 'eyJhbGciOiJSUzI1NiJ9.not-json.sig' };
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, jsonResponse(garbage)), 'token', { bodyWasJson: true }), 'id_token_malformed');
  const notJwt = { access_token: 'at', token_type: 'Bearer', id_token: 'two.parts' };
  assert.equal(await codeOf(oauth.processGenericTokenEndpointResponse(as, client, jsonResponse(notJwt))), 'id_token_malformed');
});

test("Entra's {tenantid} issuer: each token response is processed against the template resolved with its tid", async () => {
  const template = { ...as, issuer: 'https://op.example/{tenantid}/v2.0' };
  const { privateKey } = await generateKeyPair('RS256');
  const idToken = await new SignJWT({ tid: 'abc-123' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
  const resolved = await metadataForTokenResponse(template, jsonResponse({ id_token: idToken }));
  assert.equal(resolved.issuer, 'https://op.example/abc-123/v2.0');
  assert.equal(template.issuer, 'https://op.example/{tenantid}/v2.0', 'the cached metadata is not changed');
  // No readable tid (or one that is not a path segment): the template stays, and the iss check fails.
  assert.equal((await metadataForTokenResponse(template, jsonResponse({ access_token: 'x' }))).issuer, template.issuer);
  const slashed = await new SignJWT({ tid: 'a/../b' }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
  assert.equal((await metadataForTokenResponse(template, jsonResponse({ id_token: slashed }))).issuer, template.issuer);
  // Issuers without the template are left alone.
  assert.equal(await metadataForTokenResponse(as, jsonResponse({ id_token: idToken })), as);
});

test('cache entities: one expires_in rule; Entra extras kept; renewal decided in one place', () => {
  const key = { homeAccountId: 'u.t', environment: 'op.example', clientId: 'client', realm: 't' };
  const target = ScopeSet.from('api.read');
  const at = accessTokenEntity(key, { access_token: 'at', token_type: 'bearer', expires_in: 600, ext_expires_in: '1200', refresh_in: 300 }, { now: 1000, target });
  assert.equal(at.expires_on, '1600');
  assert.equal(at.extended_expires_on, '2200');
  assert.equal(at.refresh_on, '1300');
  assert.equal(at.token_type, 'Bearer');
  for (const expires_in of [undefined, -5, 'soon', Number.NaN]) {
    const e = accessTokenEntity(key, { access_token: 'at', token_type: 'Bearer', expires_in }, { now: 1000, target });
    assert.equal(e.expires_on, String(1000 + DEFAULT_EXPIRES_IN_SECONDS), String(expires_in));
    assert.equal(e.refresh_on, undefined);
  }
  const obo = accessTokenEntity(key, { access_token: 'at', token_type: 'Bearer' }, { now: 1000, target, userAssertionHash: 'h' });
  assert.equal(obo.user_assertion_hash, 'h');

  assert.equal(renewalOf({ expires_on: '2000' }, 1000, 300), 'fresh');
  assert.equal(renewalOf({ expires_on: '1300' }, 1000, 300), 'renew', 'inside the renewal offset');
  assert.equal(renewalOf({ expires_on: '900' }, 1000, 300), 'renew');
  assert.equal(renewalOf({ expires_on: 'garbage' }, 1000, 300), 'renew', 'a malformed expiry is never served');
  assert.equal(renewalOf({ expires_on: '2000', refresh_on: '1000' }, 1000, 300), 'background');
  assert.equal(renewalOf({ expires_on: '2000', refresh_on: '1500' }, 1000, 300), 'fresh');
});

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});

/** Entra discovery for `tenant` naming `issuer`. */
const serveEntraDiscovery = (tenant: string, issuer: string) => serveDiscoveryDocument(op, tenant, 'v2.0/.well-known/openid-configuration', issuer);

test('Entra discovery: an issuer that is not shaped like an Entra issuer is refused (discovery_failed)', async () => {
  try {
    for (const issuer of [`http://${new URL(op.origin).host}/t/v2.0`, `${op.origin}/t`, `${op.origin}/a/b/v2.0`, `${op.origin}/t/v2.0?x=1`, 'not a url']) {
      serveEntraDiscovery('shape-tenant', issuer);
      const pca = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: `${op.origin}/shape-tenant` }, system: { trustedCaPem: op.caCertPem } });
      const err = await pca.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: () => {}, timeoutMs: 5_000 }).catch((e: unknown) => e);
      assert.ok(err instanceof ClientAuthError, `${issuer}: ${String(err)}`);
      assert.equal(err.code, 'discovery_failed', issuer);
    }
  } finally {
    op.routeHandler = undefined;
  }
});
