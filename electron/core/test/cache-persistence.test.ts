// The cache's contract with the persistence seam (cache/persistence.ts) and with @azure/msal-node.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { PublicClientApplication as MsalPublicClient } from '@azure/msal-node';
import { startHostileOp, scriptedRedirect, goodRedirect, type HostileOp } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, CachePersistenceError, InteractionRequiredAuthError, type CachePersistence, type TokenCacheContext } from '../index.js';

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});
beforeEach(() => {
  op.tokenHandler = undefined;
  op.resetCounts();
});

const serverRequests = () => Object.values(op.counts).reduce((a, b) => a + b, 0);

/** A persistence over a string "disk" that records every call and what the server saw meanwhile. */
class RecordingPersistence implements CachePersistence {
  disk: string | undefined;
  calls: Array<{ phase: 'before' | 'after'; willWrite: boolean; changed: boolean; requests: number }> = [];
  failNext = false;
  readonly state = 'memory-only' as const;
  readonly warnings = [];
  async beforeCacheAccess(ctx: TokenCacheContext) {
    this.calls.push({ phase: 'before', willWrite: ctx.willWrite, changed: false, requests: serverRequests() });
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk on fire');
    }
    if (this.disk !== undefined) ctx.tokenCache.deserialize(this.disk);
  }
  async afterCacheAccess(ctx: TokenCacheContext) {
    this.calls.push({ phase: 'after', willWrite: ctx.willWrite, changed: ctx.cacheHasChanged, requests: serverRequests() });
    if (ctx.cacheHasChanged) this.disk = ctx.tokenCache.serialize();
  }
}

const makeApp = (persistence?: CachePersistence) =>
  PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, cache: persistence ? { persistence } : {}, system: { trustedCaPem: op.caCertPem } });

test('persistence: before/after pairs never overlap nor span a network call; writes persisted; reload replaces', async () => {
  const p = new RecordingPersistence();
  const app = await makeApp(p);
  const signIn = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  await Promise.all([
    app.acquireTokenSilent({ account: signIn.account!, scopes: ['User.Read'] }),
    app.acquireTokenSilent({ account: signIn.account!, scopes: ['Mail.Read'] }),
    app.getAllAccounts(),
  ]);
  assert.ok(p.calls.length >= 8);
  for (let i = 0; i < p.calls.length; i += 2) {
    const [b, a] = [p.calls[i]!, p.calls[i + 1]!];
    assert.equal(b.phase, 'before');
    assert.equal(a.phase, 'after');
    assert.equal(b.willWrite, a.willWrite);
    assert.equal(a.requests, b.requests, 'no network request inside a cache access');
    if (a.changed) assert.ok(a.willWrite, 'only write accesses change the cache');
  }
  assert.ok(p.disk && JSON.parse(p.disk).AccessToken);
  assert.equal(Object.keys(JSON.parse(p.disk).AccessToken).length, 2);

  // A second instance (another process) loads the persisted cache: silent works with no request.
  const app2 = await makeApp(p);
  const [account] = await app2.getAllAccounts();
  op.resetCounts();
  const silent = await app2.acquireTokenSilent({ account: account!, scopes: ['Mail.Read'] });
  assert.equal(silent.fromCache, true);
  assert.equal(serverRequests(), 0);

  // deserialize REPLACES: an account removed elsewhere does not come back.
  await app2.removeAccount(account!);
  assert.deepEqual(await app.getAllAccounts(), []);
});

test('persistence: a dead refresh token removal is persisted', async () => {
  const p = new RecordingPersistence();
  const app = await makeApp(p);
  const r = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  op.liveRefreshTokens.clear();
  await assert.rejects(app.acquireTokenSilent({ account: r.account!, scopes: ['Mail.Read'] }), InteractionRequiredAuthError);
  assert.deepEqual(JSON.parse(p.disk as string).RefreshToken, {});
});

test('persistence: a failing store surfaces as CachePersistenceError with its state', async () => {
  const p = new RecordingPersistence();
  const app = await makeApp(p);
  p.failNext = true;
  const err = await app.getAllAccounts().catch((e: unknown) => e);
  assert.ok(err instanceof CachePersistenceError);
  assert.equal(err.code, 'cache_persistence_failed');
  assert.equal(err.state, 'memory-only');
  assert.deepEqual(await app.getAllAccounts(), [], 'the next access works again');
});

test('msal-node loads our cache with the same accounts and tokens, and ours loads msal-node’s', async () => {
  const app = await makeApp();
  const r = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  const ours = app.getTokenCache().serialize();

  const msal = new MsalPublicClient({ auth: { clientId: op.clientId, authority: op.authority(), knownAuthorities: [new URL(op.origin).host] } });
  msal.getTokenCache().deserialize(ours);
  const msalAccounts = await msal.getTokenCache().getAllAccounts();
  assert.equal(msalAccounts.length, 1);
  assert.equal(msalAccounts[0]?.homeAccountId, r.account?.homeAccountId);
  assert.equal(msalAccounts[0]?.username, r.account?.username);
  assert.equal(msalAccounts[0]?.tenantId, r.tenantId);

  const theirs = msal.getTokenCache().serialize();
  const parsed = JSON.parse(theirs);
  assert.deepEqual(Object.keys(parsed.AccessToken), Object.keys(JSON.parse(ours).AccessToken), 'same keys');
  const app2 = await makeApp();
  app2.getTokenCache().deserialize(theirs);
  const [account] = await app2.getAllAccounts();
  op.resetCounts();
  const silent = await app2.acquireTokenSilent({ account: account!, scopes: ['User.Read'] });
  assert.equal(silent.accessToken, r.accessToken);
  assert.equal(serverRequests(), 0);
});

test('persistence: a reload in beforeCacheAccess is not reported as a change; after runs even when before fails', async () => {
  const p = new RecordingPersistence();
  const app = await makeApp(p);
  await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  p.calls = [];
  await app.getAllAccounts();
  assert.deepEqual(p.calls.map((c) => [c.phase, c.willWrite, c.changed]), [['before', false, false], ['after', false, false]]);
  p.calls = [];
  p.failNext = true;
  await assert.rejects(app.getAllAccounts(), CachePersistenceError);
  assert.deepEqual(p.calls.map((c) => c.phase), ['before', 'after'], 'the lock can be released');
});
