// The engine against a plain OpenID Provider (not Entra-shaped) through protocolMode: 'oidc'.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startPlainOp, PLAIN_CLIENT_ID, type PlainOp } from '../../../testkit/plain-op.js';
import { launchTestBrowser, type TestBrowser } from '../../../testkit/chromium.js';
import { PublicClientApplication, InteractionRequiredAuthError } from '../index.js';
import { openLoopbacks } from '../flows/loopback.js';
import { TestClock, chromiumLogin, capturingLogger, finishLogin } from './helpers.js';

let op: PlainOp;
let browser: TestBrowser;

before(async () => {
  op = await startPlainOp();
  browser = await launchTestBrowser({ trustedCertPem: op.caCertPem });
});
after(async () => {
  await browser?.close();
  await op?.stop();
});

const makeApp = (clock = new TestClock(), logger = capturingLogger()) =>
  PublicClientApplication.create({
    auth: { clientId: PLAIN_CLIENT_ID, authority: op.url, protocolMode: 'oidc' },
    system: { trustedCaPem: op.caCertPem, clock, logger },
  });

test('interactive sign-in, then silent from cache with zero requests, then expiry-driven refresh', async () => {
  const clock = new TestClock();
  const logger = capturingLogger();
  const app = await makeApp(clock, logger);
  const result = await app.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: chromiumLogin(browser, 'dave') });
  assert.equal(result.source, 'interactive');
  assert.equal(result.fromCache, false);
  assert.equal(result.idTokenClaims.sub, 'dave');
  assert.equal(result.uniqueId, 'dave');
  assert.ok(result.account);
  assert.match(result.account.homeAccountId, /^dave\./);
  assert.equal(result.account.username, 'dave@plain.test');
  assert.ok(result.scopes.includes('api.read'));
  assert.equal(openLoopbacks.size, 0, 'loopback listener closed');

  const accounts = await app.getAllAccounts();
  assert.equal(accounts.length, 1);

  op.controls.resetCounts();
  const silent = await app.acquireTokenSilent({ account: accounts[0]!, scopes: ['api.read'] });
  assert.equal(silent.source, 'cache');
  assert.equal(silent.fromCache, true);
  assert.equal(silent.accessToken, result.accessToken);
  assert.deepEqual(op.controls.counts, {}, 'no request reached the IdP');

  clock.advance(3600 - 200); // inside the 5-minute renewal window
  const refreshed = await app.acquireTokenSilent({ account: accounts[0]!, scopes: ['api.read'] });
  assert.equal(refreshed.source, 'refresh');
  assert.notEqual(refreshed.accessToken, result.accessToken);
  assert.equal(op.controls.counts['/token'], 1);

  for (const line of logger.lines) {
    assert.ok(!line.includes(result.accessToken) && !line.includes(refreshed.accessToken), 'no token in logs');
  }
});

test('revoked grant → InteractionRequired, dead refresh token removed', async () => {
  const clock = new TestClock();
  const app = await makeApp(clock);
  const result = await app.acquireTokenInteractive({ scopes: ['api.read'], openBrowser: chromiumLogin(browser, 'erin') });
  op.controls.revokeAll();
  const err = await app.acquireTokenSilent({ account: result.account!, scopes: ['api.read'], forceRefresh: true }).catch((e: unknown) => e);
  assert.ok(err instanceof InteractionRequiredAuthError, String(err));
  assert.equal(err.code, 'invalid_grant');
  const json = JSON.parse(app.getTokenCache().serialize());
  assert.equal(Object.keys(json.RefreshToken).length, 0);
  op.controls.resetCounts();
  const again = await app.acquireTokenSilent({ account: result.account!, scopes: ['api.read'], forceRefresh: true }).catch((e: unknown) => e);
  assert.ok(again instanceof InteractionRequiredAuthError);
  assert.equal(again.code, 'no_tokens_found');
  assert.equal(op.controls.counts['/token'] ?? 0, 0, 'the dead refresh token is never sent again');
});

test('device code against the plain provider (Chromium confirms and signs in)', async () => {
  const app = await makeApp();
  const fresh = await launchTestBrowser({ trustedCertPem: op.caCertPem }); // no session from earlier tests
  let browserStep: Promise<void> = Promise.resolve();
  const result = await app.acquireTokenByDeviceCode({
    scopes: ['api.read'],
    deviceCodeCallback: (info) => {
      browserStep = (async () => {
        const page = await fresh.newPage();
        try {
          await page.goto(info.verificationUriComplete ?? info.verificationUri);
          await finishLogin(page, 'frank', 'anything');
        } finally {
          await page.close();
        }
      })();
    },
  });
  await browserStep;
  await fresh.close();
  assert.equal(result.source, 'device_code');
  assert.equal(result.idTokenClaims.sub, 'frank');
  assert.equal(result.account?.username, 'frank@plain.test');
});
