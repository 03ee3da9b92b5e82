// Continuous access evaluation and claims: the sample API refusing still-valid tokens after the user's
// sessions were revoked, or without the authentication context /sensitive needs (claims challenges
// for cp1 clients, plain invalid_token for others); the IdP putting xms_cc in tokens and answering a
// refresh whose claims its sign-in cannot satisfy with interaction_required.
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oauth from 'oauth4webapi';
import { client, decodeJwt, discover, noAuth, passwordGrant, startTestIdp, type TestIdp } from '../../test/helpers.js';
import { startSampleApi, SENSITIVE_AUTH_CONTEXT, type SampleApi } from '../server.js';
import { evaluateContinuousAccess } from '../continuous-access.js';
import { ApiAuthError } from '../www-authenticate.js';
import { accessTokenClaimsRequest, acrFor, acrsOf, stepUpReason } from '../../cae.js';
import { claimsChallengeOf } from '../../../electron/app/www-authenticate.js';
import { USER_SCOPE_SAMPLE_API } from './helpers.js';

const CP1 = JSON.stringify({ access_token: { xms_cc: { values: ['cp1'] } } });

describe('evaluateContinuousAccess (pure)', () => {
  const capable = { iat: 1000, xms_cc: ['cp1'] };
  const refused = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return e as ApiAuthError;
    }
    return undefined;
  };
  test('no revocation, no context needed: accepted', () => assert.equal(refused(() => evaluateContinuousAccess(capable, { revokedAt: undefined })), undefined));
  test('revoked before the token: accepted', () => assert.equal(refused(() => evaluateContinuousAccess(capable, { revokedAt: 999 })), undefined));
  test('revoked after the token, cp1 client: insufficient_claims with nbf', () => {
    const e = refused(() => evaluateContinuousAccess(capable, { revokedAt: 1001 }));
    assert.equal(e?.status, 401);
    assert.equal(e?.code, 'insufficient_claims');
    assert.deepEqual(JSON.parse(e!.claims!), { access_token: { nbf: { essential: true, value: '1001' } } });
  });
  test('revoked after the token, client without cp1: plain invalid_token, no challenge', () => {
    const e = refused(() => evaluateContinuousAccess({ iat: 1000 }, { revokedAt: 1001 }));
    assert.equal(e?.code, 'invalid_token');
    assert.equal(e?.claims, undefined);
  });
  test('authentication context missing → acrs challenge; present → accepted', () => {
    const e = refused(() => evaluateContinuousAccess(capable, { revokedAt: undefined, requiredAcrs: 'c1' }));
    assert.deepEqual(JSON.parse(e!.claims!), { access_token: { acrs: { essential: true, value: 'c1' } } });
    assert.equal(refused(() => evaluateContinuousAccess({ ...capable, acrs: ['c1'] }, { revokedAt: undefined, requiredAcrs: 'c1' })), undefined);
  });
});

describe('cae.ts (pure)', () => {
  test('the access_token part of a claims request, bounded and lenient', () => {
    assert.deepEqual(accessTokenClaimsRequest('{"access_token":{"acrs":{"essential":true,"value":"c1"},"xms_cc":{"values":["cp1"]},"nbf":{"essential":true,"value":"1700000000"}}}'), {
      acrs: ['c1'],
      notBefore: 1700000000,
      capabilities: ['cp1'],
    });
    for (const junk of [undefined, '', 'not json', '[]', '{"access_token":"x"}', `{"a":"${'x'.repeat(9000)}"}`]) {
      assert.deepEqual(accessTokenClaimsRequest(junk), { acrs: [], capabilities: [] });
    }
    assert.deepEqual(accessTokenClaimsRequest('{"access_token":{"acrs":{"values":["c1","bad value",7]}}}').acrs, ['c1']);
  });
  test('acr carries the satisfied contexts; stepUpReason compares a request with a sign-in', () => {
    assert.deepEqual(acrsOf(acrFor(['c1', 'c2'])), ['c1', 'c2']);
    assert.deepEqual(acrsOf('possessionorinherence'), []);
    const acrs = accessTokenClaimsRequest('{"access_token":{"acrs":{"essential":true,"value":"c1"}}}');
    assert.equal(stepUpReason(acrs, { acr: undefined, authTime: 5 }), 'acrs');
    assert.equal(stepUpReason(acrs, { acr: acrFor(['c1']), authTime: 5 }), undefined);
    const nbf = accessTokenClaimsRequest('{"access_token":{"nbf":{"essential":true,"value":"100"}}}');
    assert.equal(stepUpReason(nbf, { authTime: 99 }), 'nbf');
    assert.equal(stepUpReason(nbf, { authTime: 100 }), undefined);
  });
});

describe('the sample API and the IdP, CAE end to end (no browser)', () => {
  let idp: TestIdp;
  let api: SampleApi;
  before(async () => {
    idp = await startTestIdp();
    api = await startSampleApi({ idpUrl: idp.url, caCertPem: idp.caCertPem, revocations: idp.controls.revocations });
  });
  after(async () => {
    await api?.stop();
    await idp?.close();
  });

  async function tokens(user: string): Promise<{ access: string; refresh: string }> {
    const as = await discover(idp);
    const body = (await (await passwordGrant(idp, as, user, 'Passw0rd!', USER_SCOPE_SAMPLE_API)).json()) as { refresh_token: string };
    // The refresh declares cp1, as the desktop app does on every request.
    const r = await oauth.refreshTokenGrantRequest(as, client, noAuth, body.refresh_token, { ...idp.http, additionalParameters: { scope: USER_SCOPE_SAMPLE_API, claims: CP1 } });
    const refreshed = (await r.json()) as { access_token: string; refresh_token: string };
    assert.ok(refreshed.access_token, 'refresh with claims works');
    return { access: refreshed.access_token, refresh: refreshed.refresh_token };
  }
  const get = async (path: string, token: string) => {
    const r = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: r.status, challenge: r.headers.get('www-authenticate') };
  };

  it('a token requested with cp1 carries xms_cc', async () => {
    assert.deepEqual(decodeJwt((await tokens('bob')).access).xms_cc, ['cp1']);
  });

  it("after revokeGrants, bob's still-valid token gets a claims challenge the app's parser reads", async () => {
    const { access } = await tokens('bob');
    assert.equal((await get('/me', access)).status, 200);
    await new Promise((r) => setTimeout(r, 1100)); // the revocation is in a later second than the token
    idp.controls.revokeGrants('bob');
    const refused = await get('/me', access);
    assert.equal(refused.status, 401);
    const challenge = claimsChallengeOf(refused.challenge);
    assert.equal(challenge?.params.error, 'insufficient_claims');
    const nbf = JSON.parse(challenge!.claims).access_token.nbf;
    assert.equal(nbf.essential, true);
    assert.equal(Number(nbf.value), idp.controls.revocations.revokedAt(decodeJwt(access).tid as string, decodeJwt(access).oid as string));
    // A token issued after the revocation is accepted again.
    assert.equal((await get('/me', (await tokens('bob')).access)).status, 200);
  });

  it('/sensitive needs the authentication context: an acrs challenge; a refresh asking for it needs interaction', async () => {
    const { access, refresh } = await tokens('alice');
    const refused = await get('/sensitive', access);
    assert.equal(refused.status, 401);
    assert.deepEqual(JSON.parse(claimsChallengeOf(refused.challenge)!.claims), { access_token: { acrs: { essential: true, value: SENSITIVE_AUTH_CONTEXT } } });
    const as = await discover(idp);
    const claims = JSON.stringify({ access_token: { acrs: { essential: true, value: SENSITIVE_AUTH_CONTEXT }, xms_cc: { values: ['cp1'] } } });
    const r = await oauth.refreshTokenGrantRequest(as, client, noAuth, refresh, { ...idp.http, additionalParameters: { scope: USER_SCOPE_SAMPLE_API, claims } });
    assert.equal(r.status, 400);
    const body = (await r.json()) as { error: string; suberror?: string };
    assert.equal(body.error, 'interaction_required');
    assert.equal(body.suberror, undefined);
  });
});
