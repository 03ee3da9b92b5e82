// The IdP's confidential client side (issue 7): client credentials with app roles, and the on-behalf-of
// custom grant with its assertion checks, against a real IdP on an ephemeral port.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, errorBody, startTestIdp, type TestIdp } from '../../test/helpers.js';
import { TENANTS, USERS } from '../../directory.js';
import { appToken, appTokenResponse, oboRequest, sleep, userToken } from './helpers.js';

describe('IdP: confidential clients', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await startTestIdp();
  });
  after(() => idp.close());

  it('client credentials with .default: app-only JWT for the API with roles, no scp, no user', async () => {
    const response = await appTokenResponse(idp);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.refresh_token, undefined);
    assert.equal(body.id_token, undefined);
    const claims = decodeJwt(String(body.access_token));
    assert.equal(claims.aud, 'api://sample-api');
    assert.deepEqual(claims.roles, ['Data.Read.All']);
    assert.equal(claims.scp, undefined);
    assert.equal(claims.scope, undefined);
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.azp, 'sample-daemon');
    assert.equal(claims.tid, TENANTS.contoso.id);
    assert.equal(claims.preferred_username, undefined);
  });

  it('client credentials with a wrong secret → invalid_client', async () => {
    const response = await appTokenResponse(idp, 'not-the-secret');
    assert.equal(response.status, 401);
    assert.equal((await errorBody(response)).error, 'invalid_client');
  });

  it('on-behalf-of: a user token for the sample API becomes a User.Read token for the same user and tenant', async () => {
    const assertion = await userToken(idp, 'alice');
    const response = await oboRequest(idp, assertion);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.scope, 'User.Read');
    const claims = decodeJwt(String(body.access_token));
    assert.equal(claims.aud, 'https://graph.localhost');
    assert.equal(claims.scp, 'User.Read');
    assert.equal(claims.oid, USERS.alice.homeOid);
    assert.equal(claims.tid, TENANTS.contoso.id);
    assert.equal(claims.azp, 'sample-api');
  });

  it('on-behalf-of keeps a B2B guest in the host tenant (tid and guest oid preserved)', async () => {
    const assertion = await userToken(idp, 'carol');
    const claims = decodeJwt(String(((await (await oboRequest(idp, assertion)).json()) as Record<string, unknown>).access_token));
    assert.equal(claims.tid, TENANTS.contoso.id);
    assert.equal(claims.oid, USERS.carol.memberships[1].oid);
  });

  it('on-behalf-of refuses a token for another audience (a User.Read token)', async () => {
    const graphToken = await userToken(idp, 'alice', 'openid User.Read');
    const response = await oboRequest(idp, graphToken);
    assert.equal(response.status, 400);
    const body = await errorBody(response);
    assert.equal(body.error, 'invalid_grant');
    assert.match(String(body.error_description), /AADSTS50013.*audience/);
  });

  it('on-behalf-of refuses an app-only token, a garbage assertion and a token from another tenant', async () => {
    for (const assertion of [await appToken(idp), 'not.a.jwt', await userToken(idp, 'carol', undefined, 'fabrikam')]) {
      const response = await oboRequest(idp, assertion);
      assert.equal(response.status, 400);
      assert.equal((await errorBody(response)).error, 'invalid_grant');
    }
  });

  it('on-behalf-of is only for the API client with its secret', async () => {
    const assertion = await userToken(idp, 'alice');
    const wrongSecret = await oboRequest(idp, assertion, { secret: 'nope' });
    assert.equal(wrongSecret.status, 401);
    assert.equal((await errorBody(wrongSecret)).error, 'invalid_client');
    const daemon = await oboRequest(idp, assertion, { clientId: 'sample-daemon', secret: 'daemon-dev-secret' });
    // The daemon is not registered for the jwt-bearer grant: oidc-provider refuses before our handler.
    assert.equal(daemon.status, 400);
    assert.ok(['unauthorized_client', 'invalid_request'].includes(String((await errorBody(daemon)).error)));
  });

  it('on-behalf-of refuses a disabled user', async () => {
    const assertion = await userToken(idp, 'bob');
    idp.controls.disableUser('bob');
    try {
      const response = await oboRequest(idp, assertion);
      assert.equal(response.status, 400);
      assert.match(String((await errorBody(response)).error_description), /AADSTS50057/);
    } finally {
      idp.controls.enableUser('bob');
    }
  });

  it('on-behalf-of refuses an expired assertion', async () => {
    idp.controls.setTokenLifetimes({ accessToken: 1 });
    try {
      const assertion = await userToken(idp, 'bob');
      await sleep(2100);
      const response = await oboRequest(idp, assertion);
      assert.equal(response.status, 400);
      assert.match(String((await errorBody(response)).error_description), /AADSTS500133/);
    } finally {
      idp.controls.setTokenLifetimes({ accessToken: 3600 });
    }
  });
});
