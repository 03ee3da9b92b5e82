// Token endpoint behaviour without a browser: password grant, refresh rotation, consent, controls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { SCOPES, TENANTS, USERS } from '../index.js';
import { client, decodeClientInfo, decodeJwt, discover, errorBody, passwordGrant, refresh, startTestIdp, type TestIdp } from './helpers.js';

const BASE_SCOPES = 'openid profile email offline_access';

describe('token endpoint', () => {
  let idp: TestIdp;
  let as: oauth.AuthorizationServer;

  const logLines: string[] = [];
  const secrets: string[] = [];

  before(async () => {
    idp = await startTestIdp({ logger: (line) => logLines.push(line) });
    as = await discover(idp, 'contoso');
  });
  after(() => idp.close());

  async function signInWithPassword(user: string, scope = `${BASE_SCOPES} ${SCOPES.userRead}`) {
    const result = await oauth.processGenericTokenEndpointResponse(as, client, await passwordGrant(idp, as, user, 'Passw0rd!', scope));
    secrets.push(result.access_token, result.refresh_token!, result.id_token!);
    return result;
  }

  it('password grant returns the Entra token response shape with a Graph access token', async () => {
    const result = await signInWithPassword('alice');
    assert.equal(result.token_type, 'bearer');
    assert.equal(result.scope, 'User.Read');
    assert.equal(result.expires_in, 3600);
    assert.equal(result.ext_expires_in, 3600);
    assert.equal(result.refresh_in, undefined, 'refresh_in only for lifetimes of 2 h or more');
    assert.ok(result.refresh_token);
    assert.deepEqual(decodeClientInfo(result.client_info), { uid: USERS.alice.homeOid, utid: TENANTS.contoso.id });

    const id = oauth.getValidatedIdTokenClaims(result)!;
    assert.equal(id.iss, idp.tenants.contoso.issuer);
    assert.equal(id.aud, 'desktop-sample');
    assert.equal(id.ver, '2.0');
    assert.equal(id.tid, TENANTS.contoso.id);
    assert.equal(id.oid, USERS.alice.homeOid);
    assert.equal(id.preferred_username, 'alice@contoso.example');
    assert.equal(id.name, 'Alice Smith');
    assert.equal(id.email, 'alice@contoso.example');

    const at = decodeJwt(result.access_token);
    assert.equal(at.aud, 'https://graph.localhost');
    assert.equal(at.scp, 'User.Read');
    assert.equal(at.tid, TENANTS.contoso.id);
  });

  it('wrong password is invalid_grant with a clear description', async () => {
    const body = await errorBody(await passwordGrant(idp, as, 'alice', 'wrong', BASE_SCOPES));
    assert.equal(body.error, 'invalid_grant');
    assert.match(String(body.error_description), /invalid username or password/);
  });

  it('the B2B guest signing in to contoso gets contoso tid and her home client_info', async () => {
    const result = await signInWithPassword('carol');
    const id = oauth.getValidatedIdTokenClaims(result)!;
    assert.equal(id.tid, TENANTS.contoso.id);
    assert.equal(id.oid, USERS.carol.memberships[1].oid, 'guest object id in contoso');
    assert.equal(id.preferred_username, 'carol@fabrikam.example');
    assert.deepEqual(decodeClientInfo(result.client_info), { uid: USERS.carol.homeOid, utid: TENANTS.fabrikam.id });
  });

  it('users of another tenant are not found there', async () => {
    const body = await errorBody(await passwordGrant(idp, as, 'carol@fabrikam.example', 'Passw0rd!', BASE_SCOPES));
    assert.equal(body.error, undefined, 'carol is a guest in contoso, so she is found');
    const fabrikam = await discover(idp, 'fabrikam');
    const bob = await errorBody(await passwordGrant(idp, fabrikam, 'bob', 'Passw0rd!', BASE_SCOPES));
    assert.equal(bob.error, 'invalid_grant');
  });

  it('refresh issues a new refresh token each time; an older one stays valid and revokes nothing (as Entra)', async () => {
    const first = await signInWithPassword('bob');
    const second = await oauth.processRefreshTokenResponse(as, client, await refresh(idp, as, first.refresh_token!, `${BASE_SCOPES} User.Read`));
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.ok(second.client_info);
    const again = await oauth.processRefreshTokenResponse(as, client, await refresh(idp, as, first.refresh_token!, `${BASE_SCOPES} User.Read`));
    assert.notEqual(again.refresh_token, second.refresh_token, 'a new one for the older token too');
    await oauth.processRefreshTokenResponse(as, client, await refresh(idp, as, second.refresh_token!, `${BASE_SCOPES} User.Read`));
  });

  it("with refreshTokenReuse 'revoke', reusing a redeemed refresh token fails and revokes the grant", async () => {
    idp.controls.setRefreshTokenReuse('revoke');
    try {
      const first = await signInWithPassword('bob');
      const second = await oauth.processRefreshTokenResponse(as, client, await refresh(idp, as, first.refresh_token!, `${BASE_SCOPES} User.Read`));
      const reuse = await errorBody(await refresh(idp, as, first.refresh_token!, `${BASE_SCOPES} User.Read`));
      assert.equal(reuse.error, 'invalid_grant');
      assert.match(String(reuse.error_description), /already used/);
      const newest = await errorBody(await refresh(idp, as, second.refresh_token!, `${BASE_SCOPES} User.Read`));
      assert.equal(newest.error, 'invalid_grant', 'the whole grant was revoked');
    } finally {
      idp.controls.setRefreshTokenReuse('allow');
    }
    assert.throws(() => idp.controls.setRefreshTokenReuse('sometimes' as never), { code: 'invalid_refresh_token_reuse' });
  });

  it('a second API without consent fails refresh with invalid_grant + consent_required', async () => {
    const first = await signInWithPassword('alice');
    const body = await errorBody(await refresh(idp, as, first.refresh_token!, `openid offline_access ${SCOPES.sampleApi}`));
    assert.equal(body.error, 'invalid_grant');
    assert.equal(body.suberror, 'consent_required');
    assert.match(String(body.error_description), /AADSTS65001/);
  });

  it('one refresh token serves every consented API, one resource per access token', async () => {
    // The password grant records consent for both APIs; its access token is for the first one.
    const both = await signInWithPassword('bob', `${BASE_SCOPES} ${SCOPES.sampleApi} ${SCOPES.userRead}`);
    assert.equal(decodeJwt(both.access_token).aud, 'api://sample-api');
    const graph = await oauth.processRefreshTokenResponse(as, client, await refresh(idp, as, both.refresh_token!, `openid offline_access ${SCOPES.userRead}`));
    assert.equal(decodeJwt(graph.access_token).aud, 'https://graph.localhost');
    const api = await oauth.processRefreshTokenResponse(as, client, await refresh(idp, as, graph.refresh_token!, `openid offline_access ${SCOPES.sampleApi}`));
    const claims = decodeJwt(api.access_token);
    assert.equal(claims.aud, 'api://sample-api');
    assert.equal(claims.scp, 'access_as_user', 'scp without the API prefix, as Entra writes it');
    assert.equal(api.scope, SCOPES.sampleApi, 'the response scope in the full form, as Entra returns it');
  });

  it('long lifetimes get refresh_in = half; short ones expire', async () => {
    idp.controls.setTokenLifetimes({ accessToken: 3 * 3600 });
    try {
      const result = await signInWithPassword('alice');
      assert.equal(result.expires_in, 10800);
      assert.equal(result.refresh_in, 5400);
    } finally {
      idp.controls.setTokenLifetimes({ accessToken: 3600 });
    }
  });

  it('revoking a user\'s grants makes their refresh tokens fail', async () => {
    const result = await signInWithPassword('alice');
    assert.ok(idp.controls.revokeGrants('alice') >= 1);
    const body = await errorBody(await refresh(idp, as, result.refresh_token!, `${BASE_SCOPES} User.Read`));
    assert.equal(body.error, 'invalid_grant');
  });

  it('a disabled user cannot sign in and their refresh token fails', async () => {
    const result = await signInWithPassword('bob');
    idp.controls.disableUser('bob');
    try {
      const pw = await errorBody(await passwordGrant(idp, as, 'bob', 'Passw0rd!', BASE_SCOPES));
      assert.equal(pw.error, 'invalid_grant');
      assert.match(String(pw.error_description), /disabled/);
      const rt = await errorBody(await refresh(idp, as, result.refresh_token!, `${BASE_SCOPES} User.Read`));
      assert.equal(rt.error, 'invalid_grant');
    } finally {
      idp.controls.enableUser('bob');
    }
  });

  it('access tokens can live for one second', async () => {
    idp.controls.setTokenLifetimes({ accessToken: 1 });
    try {
      const result = await signInWithPassword('alice');
      assert.equal(result.expires_in, 1);
      const claims = decodeJwt(result.access_token);
      assert.equal(Number(claims.exp) - Number(claims.iat), 1);
    } finally {
      idp.controls.setTokenLifetimes({ accessToken: 3600 });
    }
  });

  it('logs requests without tokens, passwords or query strings', () => {
    assert.ok(logLines.length > 5);
    for (const line of logLines) {
      assert.ok(!line.includes('?'), line);
      assert.ok(!line.includes('Passw0rd!'), line);
      for (const secret of secrets) assert.ok(!line.includes(secret.slice(0, 16)), line);
    }
  });

  it('counts requests per path, without query strings', async () => {
    idp.controls.resetCounts();
    assert.equal(idp.controls.requestCount(), 0);
    await signInWithPassword('alice');
    await idp.fetch(`${idp.url}/contoso/v2.0/.well-known/openid-configuration?x=1`);
    assert.equal(idp.controls.requestCount(), 2);
    assert.equal(idp.controls.requestCount('/oauth2/v2.0/token'), 1);
    assert.ok(idp.controls.requests().every((r) => !r.path.includes('?')));
  });
});
