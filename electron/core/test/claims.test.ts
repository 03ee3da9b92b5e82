// The claims parameter: msal-common's merge of a request's claims with the client capabilities
// (table-driven, pure), and every authorize / token request carrying it (against the hostile OP,
// which records what it received).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasClaims, mergeClaims, validClientCapabilities } from '../claims.js';
import { ClientAuthError, PublicClientApplication } from '../index.js';
import { goodRedirect, scriptedRedirect, startHostileOp, type HostileOp, type TokenRequest } from '../../../testkit/hostile-op.js';

const CP1 = '{"access_token":{"xms_cc":{"values":["cp1"]}}}';
const NBF = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';

describe('mergeClaims (msal-common addClientCapabilitiesToClaims)', () => {
  const rows: Array<[string, string | undefined, string[], string | undefined]> = [
    ['nothing to send', undefined, [], undefined],
    ['empty claims, no capabilities', '{}', [], undefined],
    ['empty string, no capabilities', '', [], undefined],
    ['capabilities alone', undefined, ['cp1'], CP1],
    ['empty claims + capabilities', '{}', ['cp1'], CP1],
    ['claims alone are sent as they are', NBF, [], NBF],
    ['claims challenge + capabilities: one access_token member', NBF, ['cp1'], '{"access_token":{"nbf":{"essential":true,"value":"1700000000"},"xms_cc":{"values":["cp1"]}}}'],
    ['id_token claims kept, access_token added', '{"id_token":{"auth_time":{"essential":true}}}', ['cp1', 'cp2'], '{"id_token":{"auth_time":{"essential":true}},"access_token":{"xms_cc":{"values":["cp1","cp2"]}}}'],
    ['a request xms_cc is replaced by the configured one', '{"access_token":{"xms_cc":{"values":["other"]},"acrs":{"essential":true,"value":"c1"}}}', ['cp1'], '{"access_token":{"xms_cc":{"values":["cp1"]},"acrs":{"essential":true,"value":"c1"}}}'],
  ];
  for (const [name, claims, capabilities, expected] of rows) {
    test(name, () => assert.equal(mergeClaims(claims, capabilities), expected));
  }

  test('claims that are not a JSON object are refused (invalid_claims), never sent half-parsed', () => {
    for (const bad of ['not json', '[1,2]', '"text"', '42', 'null']) {
      assert.throws(() => mergeClaims(bad, ['cp1']), (e: unknown) => e instanceof ClientAuthError && e.code === 'invalid_claims', bad);
    }
    assert.throws(() => mergeClaims(`{"a":"${'x'.repeat(9000)}"}`, []), (e: unknown) => e instanceof ClientAuthError && e.code === 'invalid_claims');
  });

  test('hasClaims is msal isEmptyObj inverted: {} and absent are no claims', () => {
    assert.equal(hasClaims(undefined), false);
    assert.equal(hasClaims('{}'), false);
    assert.equal(hasClaims(NBF), true);
  });

  test('clientCapabilities are checked at configuration', () => {
    assert.deepEqual(validClientCapabilities(undefined), []);
    assert.deepEqual(validClientCapabilities(['cp1', 'cp1']), ['cp1']);
    for (const bad of ['cp1', [1], ['has space'], ['"quoted"']]) assert.throws(() => validClientCapabilities(bad), ClientAuthError);
  });
});

describe('every request carries the merged claims', () => {
  let op: HostileOp;
  const seen: TokenRequest[] = [];
  before(async () => {
    op = await startHostileOp();
    op.tokenHandler = async (req, o) => {
      seen.push(req);
      return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(await o.goodTokenBody(req)) };
    };
  });
  after(async () => {
    op.tokenHandler = undefined;
    await op?.stop();
  });

  test('authorize URL, code redemption and refresh: xms_cc always, the challenge merged in; silent with claims skips the cache', async () => {
    const app = await PublicClientApplication.create({
      auth: { clientId: op.clientId, authority: op.authority(), clientCapabilities: ['cp1'] },
      system: { trustedCaPem: op.caCertPem },
    });
    let authorizeUrl: URL | undefined;
    const result = await app.acquireTokenInteractive({
      scopes: ['User.Read'],
      openBrowser: scriptedRedirect(op, (u) => {
        authorizeUrl = u;
        return goodRedirect(u);
      }),
    });
    assert.equal(authorizeUrl?.searchParams.get('claims'), CP1);
    assert.equal(seen.at(-1)?.params.get('claims'), CP1);

    // A cached token exists: without claims it is served from the cache, with a challenge it is not.
    const account = result.account!;
    const before = seen.length;
    assert.equal((await app.acquireTokenSilent({ account, scopes: ['User.Read'] })).fromCache, true);
    assert.equal(seen.length, before);
    const renewed = await app.acquireTokenSilent({ account, scopes: ['User.Read'], claims: NBF });
    assert.equal(renewed.fromCache, false);
    assert.equal(seen.at(-1)?.grantType, 'refresh_token');
    assert.deepEqual(JSON.parse(seen.at(-1)!.params.get('claims')!), {
      access_token: { nbf: { essential: true, value: '1700000000' }, xms_cc: { values: ['cp1'] } },
    });
    await app.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true });
    assert.equal(seen.at(-1)?.params.get('claims'), CP1, 'a refresh without a challenge still declares cp1');
  });

  test('no capabilities and no claims: no claims parameter at all', async () => {
    const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
    let authorizeUrl: URL | undefined;
    await app.acquireTokenInteractive({
      scopes: ['User.Read'],
      openBrowser: scriptedRedirect(op, (u) => {
        authorizeUrl = u;
        return goodRedirect(u);
      }),
    });
    assert.equal(authorizeUrl?.searchParams.has('claims'), false);
    assert.equal(seen.at(-1)?.params.has('claims'), false);
  });
});
