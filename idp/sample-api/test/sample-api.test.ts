// The sample API against a real IdP: each endpoint's success, and the bearer negative cases with their
// RFC 6750 WWW-Authenticate challenges (no token, garbage, expired, wrong audience, missing scope/role).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestIdp, type TestIdp } from '../../test/helpers.js';
import { TENANTS, USERS } from '../../directory.js';
import { startSampleApi, type SampleApi } from '../server.js';
import { runDaemon } from '../daemon.js';
import { callSampleApi } from '../../../electron/app/sample-api-client.js';
import { appToken, sleep, userToken } from './helpers.js';

async function get(api: SampleApi, path: string, token?: string) {
  const response = await fetch(`${api.url}${path}`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, challenge: response.headers.get('www-authenticate') ?? '', body: (await response.json()) as Record<string, any> };
}

describe('sample API', () => {
  let idp: TestIdp;
  let api: SampleApi;
  before(async () => {
    idp = await startTestIdp();
    api = await startSampleApi({ idpUrl: idp.url, caCertPem: idp.caCertPem, clockToleranceSeconds: 0 });
  });
  after(async () => {
    await api.stop();
    await idp.close();
  });

  it('GET /me with a user token for the API: who called and the scopes the API saw', async () => {
    const r = await get(api, '/me', await userToken(idp, 'alice'));
    assert.equal(r.status, 200);
    assert.equal(r.body.caller.username, 'alice@contoso.example');
    assert.equal(r.body.caller.oid, USERS.alice.homeOid);
    assert.equal(r.body.caller.tid, TENANTS.contoso.id);
    assert.equal(r.body.api.audience, 'api://sample-api');
    assert.deepEqual(r.body.api.scopes, ['access_as_user'], "Entra's short scp");
  });

  it('GET /obo: both tokens described (audiences, scopes), no token in the answer; second call from cache', async () => {
    const token = await userToken(idp, 'alice');
    const r = await get(api, '/obo', token);
    assert.equal(r.status, 200);
    assert.equal(r.body.incoming.aud, 'api://sample-api');
    assert.deepEqual(r.body.incoming.scp, ['access_as_user']);
    assert.equal(r.body.downstream.aud, 'https://graph.localhost');
    assert.deepEqual(r.body.downstream.scp, ['User.Read']);
    assert.equal(r.body.downstream.oid, USERS.alice.homeOid);
    assert.equal(r.body.downstream.tid, TENANTS.contoso.id);
    assert.equal(r.body.downstream.fromCache, false);
    assert.doesNotMatch(JSON.stringify(r.body), /eyJ/);

    idp.controls.resetCounts();
    const again = await get(api, '/obo', token);
    assert.equal(again.body.downstream.fromCache, true);
    assert.equal(idp.controls.requestCount('/token'), 0);
  });

  it('GET /app-data with the daemon app-only token: roles, no user', async () => {
    const r = await get(api, '/app-data', await appToken(idp));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.app.roles, ['Data.Read.All']);
    assert.equal(r.body.app.appId, 'sample-daemon');
    assert.ok(Array.isArray(r.body.data));
  });

  it('no token → 401 with a bare Bearer challenge (no error code, RFC 6750 §3.1)', async () => {
    const r = await get(api, '/me');
    assert.equal(r.status, 401);
    assert.match(r.challenge, /^Bearer realm="sample-api"/);
    assert.doesNotMatch(r.challenge, /error=/);
  });

  it('garbage and a malformed header → 401 invalid_token / 400 invalid_request', async () => {
    const garbage = await get(api, '/me', 'garbage.not.ajwt');
    assert.equal(garbage.status, 401);
    assert.match(garbage.challenge, /error="invalid_token"/);
    const response = await fetch(`${api.url}/me`, { headers: { authorization: 'Basic abc' } });
    assert.equal(response.status, 400);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
  });

  it('a token signed by someone else → 401 invalid_token', async () => {
    const token = await userToken(idp, 'alice');
    const [h, p] = token.split('.');
    const r = await get(api, '/me', `${h}.${p}.${Buffer.from('forged-signature').toString('base64url')}`);
    assert.equal(r.status, 401);
    assert.match(r.challenge, /error="invalid_token", error_description="The token signature is not valid."/);
  });

  it('expired → 401 invalid_token "expired"', async () => {
    idp.controls.setTokenLifetimes({ accessToken: 1 });
    let token: string;
    try {
      token = await userToken(idp, 'bob');
    } finally {
      idp.controls.setTokenLifetimes({ accessToken: 3600 });
    }
    await sleep(2100);
    const r = await get(api, '/me', token);
    assert.equal(r.status, 401);
    assert.match(r.challenge, /error="invalid_token", error_description="The token is expired."/);
  });

  it('wrong audience (a User.Read token) → 401 invalid_token', async () => {
    const r = await get(api, '/me', await userToken(idp, 'alice', 'openid User.Read'));
    assert.equal(r.status, 401);
    assert.match(r.challenge, /error="invalid_token", error_description="The token is for another audience."/);
  });

  it('another tenant (fabrikam token) → 401 invalid_token (exact issuer)', async () => {
    const r = await get(api, '/me', await userToken(idp, 'carol', undefined, 'fabrikam'));
    assert.equal(r.status, 401);
    assert.match(r.challenge, /another issuer/);
  });

  it('missing scope: an app token on /me and /obo → 403 insufficient_scope', async () => {
    const token = await appToken(idp);
    for (const path of ['/me', '/obo']) {
      const r = await get(api, path, token);
      assert.equal(r.status, 403);
      assert.match(r.challenge, /error="insufficient_scope".*scope="api:\/\/sample-api\/access_as_user"/);
    }
  });

  it('missing role: a user token on /app-data → 403 insufficient_scope', async () => {
    const r = await get(api, '/app-data', await userToken(idp, 'alice'));
    assert.equal(r.status, 403);
    assert.match(r.challenge, /error="insufficient_scope".*scope="Data.Read.All"/);
  });

  it('the daemon: client credentials then /app-data; nothing token-like in its result', async () => {
    const run = await runDaemon({ idpUrl: idp.url, caCertPem: idp.caCertPem, apiUrl: api.url });
    assert.equal(run.api.status, 200);
    assert.deepEqual(run.token.scopes, ['api://sample-api/.default']);
    assert.equal(run.token.tenantId, TENANTS.contoso.id);
    assert.doesNotMatch(JSON.stringify(run), /eyJ/);
  });

  it("the desktop app's callSampleApi: /me and /obo answers, the token never echoed", async () => {
    const accessToken = await userToken(idp, 'alice');
    const me = await callSampleApi({ baseUrl: `${api.url}/`, accessToken, endpoint: 'me', fetch });
    assert.equal(me.status, 200);
    assert.equal(me.url, `${api.url}/me`);
    const obo = await callSampleApi({ baseUrl: api.url, accessToken, endpoint: 'obo', fetch });
    assert.equal((obo.body as any).downstream.aud, 'https://graph.localhost');
    assert.ok(!JSON.stringify([me, obo]).includes(accessToken));
    const denied = await callSampleApi({ baseUrl: api.url, accessToken: 'garbage', endpoint: 'me', fetch });
    assert.equal(denied.status, 401);
    assert.match(denied.wwwAuthenticate ?? '', /invalid_token/);
  });
});
