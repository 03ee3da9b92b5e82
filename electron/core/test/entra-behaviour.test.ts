// Entra-specific behaviour (client_info, tid, refresh_in, {tenantid} issuers, guests, rotation,
// single flight) against the scriptable server in its well-behaved mode.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startHostileOp, scriptedRedirect, goodRedirect, type HostileOp } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, ClientAuthError, InteractionRequiredAuthError } from '../index.js';
import { TestClock } from './helpers.js';

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});
beforeEach(() => {
  op.tokenHandler = undefined;
  op.signInTenant = op.tenantId;
  op.user.homeTenant = op.tenantId;
  op.tokenLifetime = { expiresIn: 3600, extExpiresIn: 7200 };
  op.resetCounts();
});

async function signedIn(clock = new TestClock(), authority = op.authority()) {
  const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority }, system: { trustedCaPem: op.caCertPem, clock } });
  const result = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  return { app, result, clock };
}

test('client_info gives homeAccountId uid.utid; result fields as MSAL names them', async () => {
  const { app, result } = await signedIn();
  assert.equal(result.account?.homeAccountId, `${op.user.oid}.${op.tenantId}`);
  assert.equal(result.tenantId, op.tenantId);
  assert.equal(result.uniqueId, op.user.oid);
  assert.equal(result.account?.username, op.user.username);
  assert.equal(result.tokenType, 'Bearer');
  assert.ok(result.extExpiresOn && result.extExpiresOn > result.expiresOn);
  assert.deepEqual(result.scopes, ['User.Read', 'openid', 'profile']);
  assert.match(result.correlationId, /^[0-9a-f-]{36}$/);
  const json = JSON.parse(app.getTokenCache().serialize());
  const atKey = Object.keys(json.AccessToken)[0] as string;
  assert.equal(atKey, `${op.user.oid}.${op.tenantId}-${new URL(op.origin).host}-accesstoken-${op.clientId}-${op.tenantId}-user.read openid profile-`.toLowerCase());
  assert.deepEqual(Object.keys(json), ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata']);
  assert.equal(json.Account[Object.keys(json.Account)[0] as string].authority_type, 'MSSTS');
});

test('scope expansion comes from the refresh token; each token then served from cache', async () => {
  const { app, result } = await signedIn();
  op.resetCounts();
  const other = await app.acquireTokenSilent({ account: result.account!, scopes: ['api://sample-api/access_as_user'] });
  assert.equal(other.source, 'refresh');
  assert.equal(op.counts['oauth2/v2.0/token'], 1);
  op.resetCounts();
  const a = await app.acquireTokenSilent({ account: result.account!, scopes: ['user.read'] });
  const b = await app.acquireTokenSilent({ account: result.account!, scopes: ['api://sample-api/access_as_user'] });
  assert.equal(a.source, 'cache');
  assert.equal(a.accessToken, result.accessToken);
  assert.equal(b.accessToken, other.accessToken);
  assert.deepEqual(op.counts, {});
});

test('rotation: the new refresh token replaces the old one in the same write', async () => {
  const clock = new TestClock();
  const { app, result } = await signedIn(clock);
  const rtOf = () => Object.values(JSON.parse(app.getTokenCache().serialize()).RefreshToken as Record<string, { secret: string }>).map((r) => r.secret);
  const [before] = rtOf();
  clock.advance(3400);
  const refreshed = await app.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] });
  assert.equal(refreshed.source, 'refresh');
  const after = rtOf();
  assert.equal(after.length, 1);
  assert.notEqual(after[0], before);
  assert.ok(!op.liveRefreshTokens.has(before as string), 'old one is dead at the server');
});

test('100 concurrent silent calls on an expired token make exactly one refresh request', async () => {
  const clock = new TestClock();
  const { app, result } = await signedIn(clock);
  clock.advance(3500); // inside the renewal window (the IdP's fresh ID tokens must still be valid by our clock)
  op.resetCounts();
  const results = await Promise.all(Array.from({ length: 100 }, () => app.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] })));
  assert.equal(op.counts['oauth2/v2.0/token'], 1);
  assert.equal(new Set(results.map((r) => r.accessToken)).size, 1);
});

test('past refresh_in the cached token is returned and a background refresh replaces it', async () => {
  op.tokenLifetime = { expiresIn: 3600, refreshIn: 600 };
  const clock = new TestClock();
  const { app, result } = await signedIn(clock);
  assert.ok(result.refreshOn);
  clock.advance(700);
  op.resetCounts();
  const served = await app.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] });
  assert.equal(served.source, 'cache');
  assert.equal(served.accessToken, result.accessToken);
  assert.ok(await app.drain(30_000), 'the background refresh settles'); // drain waits for background refreshes
  assert.equal(op.counts['oauth2/v2.0/token'], 1);
  const next = await app.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] });
  assert.equal(next.source, 'cache');
  assert.notEqual(next.accessToken, result.accessToken);
});

test('invalid_grant on refresh → InteractionRequired with the server code; refresh token removed', async () => {
  const { app, result } = await signedIn();
  op.liveRefreshTokens.clear(); // the server revoked every grant
  const err = await app.acquireTokenSilent({ account: result.account!, scopes: ['Mail.Read'] }).catch((e: unknown) => e);
  assert.ok(err instanceof InteractionRequiredAuthError);
  assert.equal(err.code, 'invalid_grant');
  assert.equal(Object.keys(JSON.parse(app.getTokenCache().serialize()).RefreshToken).length, 0);
  // The access token already cached is still served: only the refresh token died.
  assert.equal((await app.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] })).source, 'cache');
});

test("a B2B guest's token carries the guest tenant; homeAccountId stays the home tenant", async () => {
  op.user.homeTenant = op.otherTenantId;
  const { result } = await signedIn();
  assert.equal(result.tenantId, op.tenantId);
  assert.equal(result.account?.homeAccountId, `${op.user.oid}.${op.otherTenantId}`);
  assert.equal(result.account?.tenantProfiles.get(op.tenantId)?.isHomeTenant, false);
});

test('organizations authority: {tenantid} issuer resolved from tid; two tenants = one account, two profiles', async () => {
  const clock = new TestClock();
  const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority('organizations') }, system: { trustedCaPem: op.caCertPem, clock } });
  op.signInTenant = op.tenantId;
  await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  op.signInTenant = op.otherTenantId;
  const second = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  assert.equal(second.tenantId, op.otherTenantId);
  // One Account entity; as msal-node, one AccountInfo per tenant profile (same homeAccountId).
  assert.equal(Object.keys(JSON.parse(app.getTokenCache().serialize()).Account).length, 1);
  const accounts = await app.getAllAccounts();
  assert.deepEqual(accounts.map((a) => a.homeAccountId), [second.account!.homeAccountId, second.account!.homeAccountId]);
  assert.deepEqual(accounts.map((a) => a.tenantId).sort(), [op.tenantId, op.otherTenantId].sort());
  assert.deepEqual([...accounts[0]!.tenantProfiles.keys()].sort(), [op.tenantId, op.otherTenantId].sort());
  // A token from an issuer that is not the template resolved with the token's own tid is refused.
  op.tokenHandler = async (r, o) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(await o.goodTokenBody(r, { claims: { iss: o.issuer(o.otherTenantId), tid: o.tenantId } })) });
  const err = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) }).catch((e: unknown) => e);
  assert.ok(err instanceof ClientAuthError);
  assert.equal(err.code, 'id_token_issuer_mismatch');
});

test('removeAccount removes every entry; signOut also returns the end-session URL', async () => {
  const { app, result } = await signedIn();
  await app.acquireTokenSilent({ account: result.account!, scopes: ['Mail.Read'] });
  const out = await app.signOut(result.account!);
  assert.ok(out.endSessionUrl?.startsWith(`${op.authority()}/oauth2/v2.0/logout?`));
  assert.equal(new URL(out.endSessionUrl as string).searchParams.get('logout_hint'), op.user.username);
  const json = JSON.parse(app.getTokenCache().serialize());
  for (const section of ['Account', 'IdToken', 'AccessToken', 'RefreshToken']) assert.deepEqual(json[section], {}, section);
  assert.deepEqual(await app.getAllAccounts(), []);
  const err = await app.acquireTokenSilent({ account: result.account!, scopes: ['User.Read'] }).catch((e: unknown) => e);
  assert.ok(err instanceof InteractionRequiredAuthError);
  assert.equal(err.code, 'no_account_found');
});

test('username/password refuses unless allowed, and works through the shared response path when allowed', async () => {
  const denied = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
  const err = await denied.acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: 'alice', password: 'Passw0rd!' }).catch((e: unknown) => e);
  assert.ok(err instanceof ClientAuthError);
  assert.equal(err.code, 'username_password_disabled');
  assert.equal(op.counts['oauth2/v2.0/token'] ?? 0, 0);
  assert.doesNotMatch(String(err), /Passw0rd/);

  const allowed = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority(), allowUsernamePassword: true }, system: { trustedCaPem: op.caCertPem } });
  const result = await allowed.acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: 'alice', password: 'Passw0rd!' });
  assert.equal(result.source, 'password');
  assert.equal(result.account?.homeAccountId, `${op.user.oid}.${op.tenantId}`);
});
