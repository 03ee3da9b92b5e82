// ConfidentialClientApplication against the real local IdP: client credentials (secret and certificate),
// on-behalf-of with its per-assertion cache (no IdP request on a repeat), auth code for web apps, and
// the typed errors, none of which may carry a secret or a token.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { ConfidentialClientApplication, ClientAuthError, ServerError, InteractionRequiredAuthError, generatePkceCodes } from '../index.js';
import { startTestIdp, decodeJwt, type TestIdp } from '../../../idp/test/helpers.js';
import { userToken } from '../../../idp/sample-api/test/helpers.js';
import { TENANTS, USERS } from '../../../idp/directory.js';
import { SAMPLE_API_REDIRECT_URIS } from '../../../idp/confidential-clients.js';
import { capturingLogger } from './helpers.js';
import { signInOverHttp } from './confidential-web-login.js';

const APP_SCOPE = 'api://sample-api/.default';

describe('ConfidentialClientApplication', () => {
  let idp: TestIdp;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = 'daemon-test-cert';

  before(async () => {
    idp = await startTestIdp({ confidential: { daemonPublicJwks: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] } });
  });
  after(() => idp.close());

  const daemon = (extra: Partial<{ clientSecret: string; logger: ReturnType<typeof capturingLogger> }> = {}) =>
    ConfidentialClientApplication.create({
      auth: { clientId: 'sample-daemon', authority: idp.authority('contoso'), clientSecret: extra.clientSecret ?? 'daemon-dev-secret' },
      system: { trustedCaPem: idp.caCertPem, ...(extra.logger ? { logger: extra.logger } : {}) },
    });
  const api = () =>
    ConfidentialClientApplication.create({
      auth: { clientId: 'sample-api', authority: idp.authority('contoso'), clientSecret: 'sample-api-dev-secret' },
      system: { trustedCaPem: idp.caCertPem },
    });

  it('the instance hands out no internal state: its client secret is not reachable from a property', async () => {
    const cca = await daemon({ clientSecret: 'daemon-dev-secret' });
    assert.deepEqual(Object.keys(cca), []);
    assert.equal('context' in cca, false);
    assert.equal(JSON.stringify(cca).includes('daemon-dev-secret'), false);
  });

  it('client credentials: app-only token, account null, cached per app and tenant', async () => {
    const logger = capturingLogger();
    const cca = await daemon({ logger });
    const first = await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] });
    assert.equal(first.account, null);
    assert.equal(first.fromCache, false);
    assert.equal(first.source, 'client_credentials');
    assert.equal(first.tenantId, TENANTS.contoso.id);
    assert.deepEqual(first.scopes, [APP_SCOPE]);
    assert.deepEqual(decodeJwt(first.accessToken).roles, ['Data.Read.All']);

    idp.controls.resetCounts();
    const second = await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] });
    assert.equal(second.fromCache, true);
    assert.equal(second.accessToken, first.accessToken);
    assert.equal(idp.controls.requestCount(), 0);

    // In the MSAL schema: an AccessToken with an empty home_account_id, realm = tenant, no account.
    const json = JSON.parse(cca.getTokenCache().serialize());
    const [at] = Object.values(json.AccessToken) as Record<string, string>[];
    assert.equal(at!.home_account_id, '');
    assert.equal(at!.realm, TENANTS.contoso.id);
    assert.deepEqual(json.Account, {});
    assert.ok(!logger.lines.join('\n').includes(first.accessToken));
  });

  it('client credentials: the other tenant is a different cache entry; skipCache fetches anew', async () => {
    const cca = await daemon();
    await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] });
    const fabrikam = await ConfidentialClientApplication.create({
      auth: { clientId: 'sample-daemon', authority: idp.authority('fabrikam'), clientSecret: 'daemon-dev-secret' },
      system: { trustedCaPem: idp.caCertPem },
    });
    const other = await fabrikam.acquireTokenByClientCredential({ scopes: [APP_SCOPE] });
    assert.equal(other.tenantId, TENANTS.fabrikam.id);
    assert.equal(decodeJwt(other.accessToken).tid, TENANTS.fabrikam.id);
    const fresh = await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE], skipCache: true });
    assert.equal(fresh.fromCache, false);
  });

  it('client credentials: concurrent calls share one request to the IdP', async () => {
    const cca = await daemon();
    idp.controls.resetCounts();
    const results = await Promise.all([1, 2, 3].map(() => cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] })));
    assert.equal(idp.controls.requestCount('/token'), 1);
    assert.equal(new Set(results.map((r) => r.accessToken)).size, 1);
  });

  it('client credentials with a wrong secret: ServerError invalid_client, no secret in the error', async () => {
    const cca = await daemon({ clientSecret: 'wrong-secret-value' });
    const err = await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof ServerError);
    assert.equal(err.code, 'invalid_client');
    assert.ok(!JSON.stringify({ m: err.message, c: String(err.cause), s: err.stack }).includes('wrong-secret-value'));
  });

  it('certificate credential: private_key_jwt signed with the daemon key', async () => {
    const cca = await ConfidentialClientApplication.create({
      auth: { clientId: 'sample-daemon-cert', authority: idp.authority('contoso'), clientCertificate: { privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), kid } },
      system: { trustedCaPem: idp.caCertPem },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] });
    const claims = decodeJwt(result.accessToken);
    assert.equal(claims.azp, 'sample-daemon-cert');
    assert.deepEqual(claims.roles, ['Data.Read.All']);

    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const impostor = await ConfidentialClientApplication.create({
      auth: { clientId: 'sample-daemon-cert', authority: idp.authority('contoso'), clientCertificate: { privateKey: other, kid } },
      system: { trustedCaPem: idp.caCertPem },
    });
    await assert.rejects(impostor.acquireTokenByClientCredential({ scopes: [APP_SCOPE] }), (e: unknown) => e instanceof ServerError && e.code === 'invalid_client');
  });

  it('configuration: exactly one credential, and a usable key', async () => {
    const authority = idp.authority('contoso');
    await assert.rejects(ConfidentialClientApplication.create({ auth: { clientId: 'x', authority } }), (e: unknown) => e instanceof ClientAuthError && e.code === 'invalid_argument');
    await assert.rejects(
      ConfidentialClientApplication.create({ auth: { clientId: 'x', authority, clientSecret: 's', clientCertificate: { privateKey: 'k' } } }),
      (e: unknown) => e instanceof ClientAuthError && e.code === 'invalid_argument',
    );
    const bad = await ConfidentialClientApplication.create({ auth: { clientId: 'x', authority, clientCertificate: { privateKey: 'not a key' } }, system: { trustedCaPem: idp.caCertPem } });
    await assert.rejects(bad.acquireTokenByClientCredential({ scopes: [APP_SCOPE] }), (e: unknown) => e instanceof ClientAuthError && e.code === 'invalid_argument');
  });

  it('on-behalf-of: the user token becomes a Graph-like User.Read token; a repeat makes no IdP request', async () => {
    const cca = await api();
    const assertion = await userToken(idp, 'alice');
    const first = await cca.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['User.Read'] });
    assert.equal(first.source, 'on_behalf_of');
    assert.equal(first.account, null);
    assert.equal(first.uniqueId, USERS.alice.homeOid);
    assert.deepEqual(first.scopes, ['User.Read']);
    const claims = decodeJwt(first.accessToken);
    assert.equal(claims.aud, 'https://graph.localhost');
    assert.equal(claims.oid, USERS.alice.homeOid);

    idp.controls.resetCounts();
    const second = await cca.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: ['User.Read'] });
    assert.equal(second.fromCache, true);
    assert.equal(second.accessToken, first.accessToken);
    assert.equal(idp.controls.requestCount(), 0);

    // The cache holds the assertion's hash, never the assertion itself.
    const serialized = cca.getTokenCache().serialize();
    assert.ok(!serialized.includes(assertion));
    assert.match(serialized, /user_assertion_hash/);
  });

  it("on-behalf-of: another user's assertion is a cache miss and gets that user's token", async () => {
    const cca = await api();
    const alice = await cca.acquireTokenOnBehalfOf({ oboAssertion: await userToken(idp, 'alice'), scopes: ['User.Read'] });
    idp.controls.resetCounts();
    const bob = await cca.acquireTokenOnBehalfOf({ oboAssertion: await userToken(idp, 'bob'), scopes: ['User.Read'] });
    assert.equal(bob.fromCache, false);
    assert.equal(idp.controls.requestCount('/token'), 2); // bob's password grant + his OBO
    assert.equal(decodeJwt(bob.accessToken).oid, USERS.bob.homeOid);
    assert.notEqual(alice.accessToken, bob.accessToken);
  });

  it('on-behalf-of with a token for another audience: invalid_grant (interaction required), nothing cached', async () => {
    const cca = await api();
    const graphToken = await userToken(idp, 'alice', 'openid User.Read');
    await assert.rejects(
      cca.acquireTokenOnBehalfOf({ oboAssertion: graphToken, scopes: ['User.Read'] }),
      (e: unknown) => e instanceof InteractionRequiredAuthError && e.code === 'invalid_grant' && !e.message.includes(graphToken),
    );
    assert.deepEqual(JSON.parse(cca.getTokenCache().serialize()).AccessToken, {});
  });

  it('auth code for web apps: PKCE + client secret, ID token validated, account cached', async () => {
    const cca = await api();
    const redirectUri = SAMPLE_API_REDIRECT_URIS[0];
    const pkce = await generatePkceCodes();
    const state = 'state-123';
    const nonce = 'nonce-456';
    const url = await cca.getAuthCodeUrl({ scopes: ['User.Read'], redirectUri, codeChallenge: pkce.challenge, state, nonce });
    assert.match(url, /code_challenge_method=S256/);
    const redirect = await signInOverHttp(url, redirectUri, 'alice', idp.fetch);
    assert.ok(redirect.searchParams.get('code'));

    // A forged state is refused before any code redemption.
    await assert.rejects(
      cca.acquireTokenByCode({ responseParams: redirect.searchParams, state: 'other', redirectUri, scopes: ['User.Read'], codeVerifier: pkce.verifier, nonce }),
      (e: unknown) => e instanceof ClientAuthError && e.code === 'state_mismatch',
    );
    const result = await cca.acquireTokenByCode({ responseParams: redirect.searchParams, state, redirectUri, scopes: ['User.Read'], codeVerifier: pkce.verifier, nonce });
    assert.equal(result.source, 'authorization_code');
    assert.equal(result.account?.username, 'alice@contoso.example');
    assert.equal(result.idTokenClaims.aud, 'sample-api');
    assert.equal(decodeJwt(result.accessToken).aud, 'https://graph.localhost');
    assert.equal(Object.keys(JSON.parse(cca.getTokenCache().serialize()).Account).length, 1);

    // The code is single-use.
    await assert.rejects(
      cca.acquireTokenByCode({ responseParams: redirect.searchParams, state, redirectUri, scopes: ['User.Read'], codeVerifier: pkce.verifier, nonce }),
      (e: unknown) => e instanceof InteractionRequiredAuthError && e.code === 'invalid_grant',
    );
  });
});
