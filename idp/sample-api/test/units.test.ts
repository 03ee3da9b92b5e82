// Pure pieces of the sample API and the confidential engine: challenge headers, bearer parsing,
// permission checks, the tenant of an issuer, the OBO cache key, the desktop app's URL building.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bearerOf, checkRequirement } from '../token-validator.js';
import { ApiAuthError, insufficient, invalidToken, missingToken, wwwAuthenticate } from '../www-authenticate.js';
import { summarize } from '../downstream.js';
import { certPathFrom, portFrom } from '../idp-connection.js';
import { assertionHash, tenantOfIssuer } from '../../../electron/core/confidential/app-token.js';
import { sampleApiUrl, SampleApiCallError } from '../../../electron/app/sample-api-client.js';

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof ApiAuthError ? `${err.status} ${err.code ?? '-'}` : String(err);
  }
  return 'ok';
};

describe('sample API units', () => {
  it('WWW-Authenticate: bare challenge without a token, error and scope otherwise, quotes escaped', () => {
    assert.equal(wwwAuthenticate(missingToken()), 'Bearer realm="sample-api"');
    assert.equal(wwwAuthenticate(invalidToken('The token is expired.'), 'https://idp/a'), 'Bearer realm="sample-api", authorization_uri="https://idp/a", error="invalid_token", error_description="The token is expired."');
    assert.equal(wwwAuthenticate(insufficient('x "y"', 'Data.Read.All')), 'Bearer realm="sample-api", error="insufficient_scope", error_description="x \\"y\\"", scope="Data.Read.All"');
  });

  it('bearerOf: missing → 401 without code, other schemes → 400 invalid_request', () => {
    assert.equal(code(() => bearerOf(undefined)), '401 -');
    assert.equal(code(() => bearerOf('Basic dXNlcg==')), '400 invalid_request');
    assert.equal(code(() => bearerOf('Bearer a b')), '400 invalid_request');
    assert.equal(bearerOf('bearer abc.def.ghi'), 'abc.def.ghi');
  });

  it('checkRequirement: delegated scope (short or full name) vs app role with no user', () => {
    const scope = { kind: 'scope', scope: 'api://sample-api/access_as_user' } as const;
    const role = { kind: 'role', role: 'Data.Read.All' } as const;
    assert.equal(code(() => checkRequirement({ scp: 'access_as_user' }, scope)), 'ok');
    assert.equal(code(() => checkRequirement({ scp: 'api://sample-api/access_as_user' }, scope)), 'ok');
    assert.equal(code(() => checkRequirement({ scp: 'other' }, scope)), '403 insufficient_scope');
    assert.equal(code(() => checkRequirement({ roles: ['Data.Read.All'] }, scope)), '403 insufficient_scope');
    assert.equal(code(() => checkRequirement({ roles: ['Data.Read.All'] }, role)), 'ok');
    assert.equal(code(() => checkRequirement({ roles: ['Other'] }, role)), '403 insufficient_scope');
    assert.equal(code(() => checkRequirement({ scp: 'access_as_user', roles: ['Data.Read.All'] }, role)), '403 insufficient_scope');
  });

  it('summarize: audiences, scopes and roles, never a token field', () => {
    const s = summarize({ aud: 'a', scp: 'x y', roles: ['r'], tid: 't', exp: 0, access_token: 'eyJ...' });
    assert.deepEqual(s.scp, ['x', 'y']);
    assert.deepEqual(s.roles, ['r']);
    assert.ok(!('access_token' in s));
  });

  it('tenantOfIssuer and assertionHash', () => {
    assert.equal(tenantOfIssuer('https://localhost:5443/3c1b5a9e-2f4d-4c8a-9b6e-0d7f1a2b3c4d/v2.0'), '3c1b5a9e-2f4d-4c8a-9b6e-0d7f1a2b3c4d');
    assert.equal(tenantOfIssuer('https://op.example/'), '');
    assert.equal(assertionHash('abc'), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('idp-connection: certificate path and port from the environment', () => {
    assert.equal(certPathFrom({ IDP_CA_CERT: '/x.pem' }), '/x.pem');
    assert.equal(certPathFrom({ IDP_DATA_DIR: '/d' }), '/d/tls-cert.pem');
    assert.equal(portFrom(undefined, 5050, 'API_PORT'), 5050);
    assert.equal(portFrom('0', 5050, 'API_PORT'), 0);
    assert.throws(() => portFrom('x', 5050, 'API_PORT'), RangeError);
  });

  it("sampleApiUrl: the desktop app's endpoints only, http(s) bases only", () => {
    assert.equal(sampleApiUrl('http://127.0.0.1:5050/', 'me'), 'http://127.0.0.1:5050/me');
    assert.equal(sampleApiUrl('http://127.0.0.1:5050/base/', 'obo'), 'http://127.0.0.1:5050/base/obo');
    assert.throws(() => sampleApiUrl('http://127.0.0.1:5050', 'app-data' as never), (e: unknown) => e instanceof SampleApiCallError && e.code === 'invalid_endpoint');
    assert.throws(() => sampleApiUrl('file:///etc', 'me'), (e: unknown) => e instanceof SampleApiCallError && e.code === 'invalid_base_url');
  });
});
