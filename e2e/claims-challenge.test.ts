// Claims challenges (CAE) end to end in real Chromium: alice calls the sample API, her sessions are
// revoked at the IdP, the API refuses her still-valid token with a claims challenge, and the app
// recovers — a refresh with the claims is refused, so the login window asks her to sign in again — with
// one visible "claims challenge" step in the activity log. Then a step-up: an authentication context
// (`acrs`) asked through the engine makes the IdP ask for a fresh sign-in despite the session.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDevIdp, type DevIdp } from '../idp/index.js';
import { PublicClientApplication } from '../electron/core/index.js';
import { launchTestBrowser, type TestBrowser } from '../testkit/chromium.js';
import { serveBuiltRenderer, type RendererServer } from './support/renderer-server.js';
import { startDesktopInBrowser, type DesktopInBrowser } from './support/desktop-in-browser.js';
import { signInAs } from './support/login-page.js';

const SAMPLE_API_SCOPE = 'api://sample-api/access_as_user';

let idp: DevIdp;
let renderer: RendererServer;
let browser: TestBrowser;
let app: DesktopInBrowser;
let userDataDir: string;

const tokenPanel = (page: Page) => page.getByRole('region', { name: /^Tokens/ });
const tokenRow = (page: Page) =>
  tokenPanel(page).getByRole('list', { name: 'Cached access tokens' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Sample API', exact: true }) });
const activityMessages = (page: Page) => page.locator('.activity-message').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? ''));
const payloadOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('claims challenges in Chromium', { timeout: 240_000 }, () => {
  before(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'claims-e2e-'));
    idp = await startDevIdp({ port: 0, dataDir: join(userDataDir, 'idp') });
    renderer = await serveBuiltRenderer();
    browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
    app = await startDesktopInBrowser({ browser, rendererOrigin: renderer.origin, idp, userDataDir: join(userDataDir, 'app') });
  });
  after(async () => {
    await app?.close();
    await browser?.close();
    await renderer?.close();
    await idp?.stop();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  test('revoked sessions: the API challenges, the app signs alice in again and the retried call succeeds', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signInAs(await app.nextLoginWindow(), 'alice');
    await tokenPanel(page).getByLabel('Get a token for').selectOption({ label: 'Sample API' });
    await tokenPanel(page).getByRole('button', { name: 'Get token' }).click();
    await signInAs(await app.nextLoginWindow(), 'alice'); // consent to the sample API
    await tokenRow(page).getByRole('button', { name: 'Call API: Sample API' }).click();
    await tokenPanel(page).getByRole('heading', { name: /Sample API answered 200/ }).waitFor();

    // The revocation lands in a later second than the token (the API compares whole seconds).
    await new Promise((r) => setTimeout(r, 1100));
    assert.ok(idp.controls.revokeGrants('alice') > 0);
    const before = (await activityMessages(page)).length;
    await tokenRow(page).getByRole('button', { name: 'Call API: Sample API' }).click();
    // The refresh with the claims is refused (the grant is gone): the login window asks alice again.
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    assert.equal(await login.getByLabel('Username or email').inputValue(), 'alice@contoso.example');
    await signInAs(login, 'alice');
    await page.getByText('The sample API asked for a fresh sign-in (claims challenge); got a new token').first().waitFor({ state: 'attached' });
    await tokenPanel(page).getByRole('heading', { name: /Sample API answered 200/ }).waitFor();
    const added = (await activityMessages(page)).slice(0, (await activityMessages(page)).length - before);
    assert.equal(added.filter((m) => /claims challenge/.test(m)).length, 1, `one claims-challenge step in: ${JSON.stringify(added)}`);
  });

  test('an authentication context (acrs): a fresh sign-in despite the session, and acrs in the token', async () => {
    const state = await app.controller.getState();
    const apiUrl = state.config.sampleApiUrl!;
    const pca = await PublicClientApplication.create({
      auth: { clientId: 'desktop-sample', authority: idp.authority('contoso'), clientCapabilities: ['cp1'] },
      system: { trustedCaPem: idp.caCertPem },
    });
    const page = await browser.context.newPage(); // alice's IdP session (from the test above) is in this context
    idp.controls.resetCounts();
    try {
      const result = await pca.acquireTokenInteractive({
        scopes: [SAMPLE_API_SCOPE],
        loginHint: 'alice@contoso.example',
        claims: JSON.stringify({ access_token: { acrs: { essential: true, value: 'c1' } } }),
        timeoutMs: 60_000,
        openBrowser: (url) => {
          void page.goto(url).catch(() => {});
          void signInAs(page, 'alice').catch(() => {});
        },
      });
      const claims = payloadOf(result.accessToken);
      assert.deepEqual(claims.acrs, ['c1']);
      assert.deepEqual(claims.xms_cc, ['cp1']);
      const answer = await fetch(`${apiUrl}/sensitive`, { headers: { authorization: `Bearer ${result.accessToken}` } });
      assert.equal(answer.status, 200);
      // The login form was shown: the IdP did not take the session for the step-up.
      assert.ok(idp.controls.requests().some((r) => /\/interaction\/[^/]+\/login$/.test(r.path)), 'the login form was submitted');
    } finally {
      await page.close();
    }
  });
});
