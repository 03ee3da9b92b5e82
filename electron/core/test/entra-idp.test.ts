// Every flow end to end against the local Entra-shaped IdP (idp/), interactive and device code driven
// by Debian Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDevIdp, TENANTS, USERS, CLIENT_IDS, SCOPES, DEMO_PASSWORD, type DevIdp } from '../../../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../../../testkit/chromium.js';
import { PublicClientApplication, InteractionRequiredAuthError, type AuthenticationResult } from '../index.js';
import { openLoopbacks } from '../flows/loopback.js';
import { TestClock } from './helpers.js';

let idp: DevIdp;
let dataDir: string;
let browser: TestBrowser;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'core-idp-'));
  idp = await startDevIdp({ port: 0, dataDir });
  idp.controls.setDeviceFlow({ interval: 1 });
  browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
});
after(async () => {
  await browser?.close();
  await idp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const onLoopback = (page: Page) => new URL(page.url()).hostname === '127.0.0.1';

/**
 * Fill the IdP's login form and accept consent, whichever of them shows, until the sign-in is over:
 * the browser reached the loopback redirect, or (device code) the IdP says "You have signed in".
 */
async function completeSignIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  const signedIn = page.getByRole('heading', { name: 'You have signed in' });
  const finished = async () => onLoopback(page) || (await signedIn.isVisible());
  for (let i = 0; i < 6 && !(await finished()); i++) {
    const user = page.getByLabel('Username or email');
    const accept = page.getByRole('button', { name: 'Accept' });
    const wait = { timeout: 15_000 };
    await Promise.race([
      user.waitFor(wait),
      accept.waitFor(wait),
      signedIn.waitFor(wait),
      page.waitForURL((u) => u.hostname === '127.0.0.1', wait),
    ]).catch(() => {});
    if (await finished()) return;
    if (await user.isVisible()) {
      await user.fill(username);
      await page.getByLabel('Password').fill(password);
      await Promise.all([page.waitForEvent('framenavigated', wait).catch(() => {}), page.getByLabel('Password').press('Enter')]);
    } else if (await accept.isVisible()) {
      await Promise.all([page.waitForEvent('framenavigated', wait).catch(() => {}), accept.click()]);
    }
  }
}

function chromium(username: string, b: () => TestBrowser = () => browser) {
  return async (url: string) => {
    const page = await b().newPage();
    try {
      await page.goto(url);
      await completeSignIn(page, username);
    } finally {
      await page.close();
    }
  };
}

const makeApp = (clock = new TestClock(), tenant = 'contoso', extra: { allowUsernamePassword?: boolean } = {}) =>
  PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority(tenant), ...extra },
    system: { trustedCaPem: idp.caCertPem, clock },
  });

let alice: AuthenticationResult;
const clock = new TestClock();
let app: PublicClientApplication;

test('interactive (Chromium): alice in contoso; Entra-shaped result', async () => {
  app = await makeApp(clock);
  alice = await app.acquireTokenInteractive({ scopes: [SCOPES.userRead], openBrowser: chromium('alice') });
  assert.equal(alice.source, 'interactive');
  assert.equal(alice.tenantId, TENANTS.contoso.id);
  assert.equal(alice.account?.homeAccountId, `${USERS.alice.homeOid}.${TENANTS.contoso.id}`);
  assert.equal(alice.account?.username, USERS.alice.upn);
  assert.equal(alice.uniqueId, USERS.alice.homeOid);
  assert.ok(alice.scopes.includes(SCOPES.userRead));
  assert.equal(openLoopbacks.size, 0);
});

test('silent from cache: zero requests reach the IdP', async () => {
  idp.controls.resetCounts();
  const r = await app.acquireTokenSilent({ account: alice.account!, scopes: [SCOPES.userRead] });
  assert.equal(r.source, 'cache');
  assert.equal(r.accessToken, alice.accessToken);
  assert.equal(idp.controls.requestCount(), 0);
});

test('another API without consent → InteractionRequired with the server code; with consent → silent by refresh token', async () => {
  const err = await app.acquireTokenSilent({ account: alice.account!, scopes: [SCOPES.sampleApi] }).catch((e: unknown) => e);
  assert.ok(err instanceof InteractionRequiredAuthError, String(err));
  assert.ok(['consent_required', 'interaction_required', 'invalid_grant', 'invalid_scope'].includes(err.code), err.code);
  // consent once, interactively (same browser session: consent page only)
  const consented = await app.acquireTokenInteractive({ scopes: [SCOPES.sampleApi], openBrowser: chromium('alice') });
  assert.ok(consented.scopes.includes(SCOPES.sampleApi));
  // Now both APIs renew silently from the refresh token.
  clock.advance(3600 - 120);
  idp.controls.resetCounts();
  const graph = await app.acquireTokenSilent({ account: alice.account!, scopes: [SCOPES.userRead] });
  const api = await app.acquireTokenSilent({ account: alice.account!, scopes: [SCOPES.sampleApi] });
  assert.equal(graph.source, 'refresh');
  assert.equal(api.source, 'refresh');
  assert.equal(idp.controls.requestCount('/token'), 2);
});

test('100 concurrent silent calls on an expired token: one refresh request', async () => {
  // A fresh account and clock (password grant: no browser needed for this one).
  const c = new TestClock();
  const pwApp = await makeApp(c, 'contoso', { allowUsernamePassword: true });
  const first = await pwApp.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'bob', password: DEMO_PASSWORD });
  c.advance(3600 - 120);
  idp.controls.resetCounts();
  const all = await Promise.all(Array.from({ length: 100 }, () => pwApp.acquireTokenSilent({ account: first.account!, scopes: [SCOPES.userRead] })));
  assert.equal(new Set(all.map((r) => r.accessToken)).size, 1);
  assert.ok(all.every((r) => r.source === 'refresh'));
  assert.equal(idp.controls.requestCount('/token'), 1);
});

test('rotation: after a refresh the old refresh token is dead at the IdP (reuse detection on), the new one is cached', async (t) => {
  // Entra keeps older refresh tokens valid (the IdP's default); reuse detection shows the old one is replaced.
  idp.controls.setRefreshTokenReuse('revoke');
  t.after(() => idp.controls.setRefreshTokenReuse('allow'));
  const c = new TestClock();
  const pwApp = await makeApp(c, 'contoso', { allowUsernamePassword: true });
  const first = await pwApp.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD });
  const before = pwApp.getTokenCache().serialize();
  const refreshed = await pwApp.acquireTokenSilent({ account: first.account!, scopes: [SCOPES.userRead], forceRefresh: true });
  assert.equal(refreshed.source, 'refresh');
  const rts = (json: string) => Object.values(JSON.parse(json).RefreshToken as Record<string, { secret: string }>).map((r) => r.secret);
  assert.notDeepEqual(rts(pwApp.getTokenCache().serialize()), rts(before));
  // Another instance still holding the old cache: its refresh token was rotated away.
  const stale = await makeApp(c);
  stale.getTokenCache().deserialize(before);
  const err = await stale.acquireTokenSilent({ account: first.account!, scopes: [SCOPES.userRead], forceRefresh: true }).catch((e: unknown) => e);
  assert.ok(err instanceof InteractionRequiredAuthError, String(err));
  assert.equal(err.code, 'invalid_grant');
});

test('revoked grant → InteractionRequired(invalid_grant) and the dead refresh token is gone', async () => {
  idp.controls.revokeGrants('alice');
  const err = await app.acquireTokenSilent({ account: alice.account!, scopes: [SCOPES.userRead], forceRefresh: true }).catch((e: unknown) => e);
  assert.ok(err instanceof InteractionRequiredAuthError, String(err));
  assert.equal(err.code, 'invalid_grant');
  assert.deepEqual(JSON.parse(app.getTokenCache().serialize()).RefreshToken, {});
});

test("the B2B guest's token: tenantId is contoso, homeAccountId is her fabrikam identity", async () => {
  const fresh = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
  try {
    const guestApp = await makeApp(new TestClock(), 'contoso');
    const r = await guestApp.acquireTokenInteractive({ scopes: [SCOPES.userRead], openBrowser: chromium('carol@fabrikam.example', () => fresh) });
    assert.equal(r.tenantId, TENANTS.contoso.id);
    assert.equal(r.account?.homeAccountId, `${USERS.carol.homeOid}.${TENANTS.fabrikam.id}`);
    assert.equal(r.account?.tenantProfiles.get(TENANTS.contoso.id)?.isHomeTenant, false);
  } finally {
    await fresh.close();
  }
});

test('device code (Chromium enters the code): bob', async () => {
  const fresh = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
  try {
    const deviceApp = await makeApp(new TestClock());
    let browserStep: Promise<void> = Promise.resolve();
    const r = await deviceApp.acquireTokenByDeviceCode({
      scopes: [SCOPES.userRead],
      deviceCodeCallback: (info) => {
        browserStep = (async () => {
          const page = await fresh.newPage();
          await page.goto(info.verificationUri);
          await page.getByLabel('Code').fill(info.userCode);
          await page.getByLabel('Code').press('Enter');
          await page.getByRole('button', { name: 'Continue' }).click();
          await completeSignIn(page, 'bob');
          await page.getByRole('heading', { name: 'You have signed in' }).waitFor({ timeout: 15_000 });
          await page.close();
        })();
      },
    });
    await browserStep;
    assert.equal(r.source, 'device_code');
    assert.equal(r.account?.username, USERS.bob.upn);
  } finally {
    await fresh.close();
  }
});

test('username/password (explicitly allowed) and a disabled user’s refresh → InteractionRequired', async () => {
  const pwApp = await makeApp(new TestClock(), 'contoso', { allowUsernamePassword: true });
  const r = await pwApp.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'bob', password: DEMO_PASSWORD });
  assert.equal(r.source, 'password');
  idp.controls.disableUser('bob');
  try {
    const err = await pwApp.acquireTokenSilent({ account: r.account!, scopes: [SCOPES.userRead], forceRefresh: true }).catch((e: unknown) => e);
    assert.ok(err instanceof InteractionRequiredAuthError, String(err));
  } finally {
    idp.controls.enableUser('bob');
  }
});
