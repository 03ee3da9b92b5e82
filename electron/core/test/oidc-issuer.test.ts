// OpenID Providers whose issuer ends in `/` (OIDC Discovery §4.3): the `/` is dropped only to build the
// discovery path; the document's issuer, and every ID token's `iss`, must then equal the configured
// authority exactly. A scripted provider (hostile-op) answers discovery under its own tenant path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHostileOp, scriptedRedirect, goodRedirect, serveDiscoveryDocument, type HostileOp, type RawResponse } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, ClientAuthError } from '../index.js';

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});

const json = (body: unknown): RawResponse => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
/** A plain OIDC discovery document at <origin>/<tenant>/.well-known/openid-configuration naming `issuer`. */
const serveDiscovery = (tenant: string, issuer: string) => serveDiscoveryDocument(op, tenant, '.well-known/openid-configuration', issuer);

const app = (authority: string) =>
  PublicClientApplication.create({ auth: { clientId: op.clientId, authority, protocolMode: 'oidc' }, system: { trustedCaPem: op.caCertPem } });

/** Token responses whose ID token carries exactly `iss` (and no client_info: a plain OP). */
function issueAs(iss: string): void {
  op.tokenHandler = async (req, o) => json(await o.goodTokenBody(req, { claims: { iss }, body: { client_info: undefined } }));
}

test('issuer `https://host/tenant/`: discovery passes and ID tokens with exactly that `iss` validate', async () => {
  const issuer = `${op.origin}/slash-tenant/`;
  serveDiscovery('slash-tenant', issuer);
  issueAs(issuer);
  try {
    const pca = await app(issuer);
    const r = await pca.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: scriptedRedirect(op, goodRedirect) });
    assert.equal(r.idTokenClaims.iss, issuer);
    assert.equal(r.source, 'interactive');
    const [account] = await pca.getAllAccounts();
    op.resetCounts();
    const silent = await pca.acquireTokenSilent({ account: account!, scopes: ['api.read'] });
    assert.equal(silent.fromCache, true);
    // Refresh validates the new ID token against the same issuer.
    const refreshed = await pca.acquireTokenSilent({ account: account!, scopes: ['api.read'], forceRefresh: true });
    assert.equal(refreshed.source, 'refresh');
  } finally {
    op.routeHandler = undefined;
    op.tokenHandler = undefined;
  }
});

test('issuer `https://host/tenant/`: an ID token whose `iss` lacks the `/` is refused and nothing is cached', async () => {
  const issuer = `${op.origin}/slash-tenant/`;
  serveDiscovery('slash-tenant', issuer);
  issueAs(issuer.slice(0, -1));
  try {
    const pca = await app(issuer);
    const err = await pca.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: scriptedRedirect(op, goodRedirect) }).catch((e: unknown) => e);
    assert.ok(err instanceof ClientAuthError, String(err));
    assert.equal(err.code, 'id_token_issuer_mismatch');
    assert.deepEqual(await pca.getAllAccounts(), []);
  } finally {
    op.routeHandler = undefined;
    op.tokenHandler = undefined;
  }
});

test('the issuer must equal the configured authority exactly: with and without the `/` are different issuers', async () => {
  try {
    serveDiscovery('slash-tenant', `${op.origin}/slash-tenant/`);
    const withoutSlash = await app(`${op.origin}/slash-tenant`);
    const err = await withoutSlash.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: () => {}, timeoutMs: 5_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof ClientAuthError, String(err));
    assert.equal(err.code, 'discovery_failed');

    serveDiscovery('plain-tenant', `${op.origin}/plain-tenant`);
    const withSlash = await app(`${op.origin}/plain-tenant/`);
    const err2 = await withSlash.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: () => {}, timeoutMs: 5_000 }).catch((e: unknown) => e);
    assert.ok(err2 instanceof ClientAuthError, String(err2));
    assert.equal(err2.code, 'discovery_failed');
  } finally {
    op.routeHandler = undefined;
  }
});
