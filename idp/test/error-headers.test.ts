// Error answers the IdP builds itself (outside oidc-provider's endpoints) echo the request's input, so
// each says `nosniff`: a browser must never read one as HTML or script.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestIdp, type TestIdp } from './helpers.js';

describe('error answers built by the IdP', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await startTestIdp();
  });
  after(() => idp.close());

  const cases: Array<[string, () => string, number, RegExp]> = [
    ['unknown tenant (JSON, echoes the segment)', () => `${idp.url}/%3Cscript%3Ealert(1)%3C%2Fscript%3E/v2.0/.well-known/openid-configuration`, 400, /^application\/json/],
    ['sign-in on a multi-tenant authority (JSON)', () => `${idp.url}/common/oauth2/v2.0/authorize`, 400, /^application\/json/],
    ['unknown interaction page (HTML)', () => `${idp.url}/contoso/interaction/no-such-uid`, 400, /^text\/html/],
    ['authorize with an unknown client (HTML error page)', () => `${idp.url}/contoso/oauth2/v2.0/authorize?client_id=nope&response_type=code&scope=openid&redirect_uri=http%3A%2F%2F127.0.0.1%2F`, 400, /^text\/html/],
    ['device code entry page (HTML, our template)', () => `${idp.url}/contoso/oauth2/v2.0/deviceauth`, 200, /^text\/html/],
  ];
  for (const [name, url, status, type] of cases) {
    it(`${name}: nosniff`, async () => {
      const response = await idp.fetch(url());
      await response.text();
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', type);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    });
  }

  it('the unknown-tenant answer is still Entra\u2019s AADSTS90002', async () => {
    const response = await idp.fetch(`${idp.url}/tailspin/v2.0/.well-known/openid-configuration`);
    assert.match(String(((await response.json()) as Record<string, string>).error_description), /AADSTS90002/);
  });
});
