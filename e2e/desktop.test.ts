// The desktop app end to end in real Chromium: the built renderer, the real controller, engine,
// encrypted cache (gnome-keyring behind keytar) and the local IdP. Scenarios run in order, as a person
// would use the app, and each main screen is saved to test-results/screenshots/.
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDevIdp, type DevIdp } from '../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../testkit/chromium.js';
import { serveBuiltRenderer, type RendererServer } from './support/renderer-server.js';
import { startDesktopInBrowser, type DesktopInBrowser } from './support/desktop-in-browser.js';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'test-results', 'screenshots');
const PASSWORD = 'Passw0rd!';

let idp: DevIdp;
let renderer: RendererServer;
let browser: TestBrowser;
let app: DesktopInBrowser;
let userDataDir: string;

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** What a person does in the login window: username, password, then consent when it is asked for. */
async function signInAs(login: Page, username: string): Promise<void> {
  await login.getByLabel('Username or email').fill(username);
  await login.getByLabel('Password').fill(PASSWORD);
  await login.getByLabel('Password').press('Enter');
  const consent = login.getByRole('button', { name: 'Accept' });
  // Consent is asked once per app and permission set; afterwards the IdP redirects straight back.
  await Promise.race([consent.click().catch(() => {}), login.waitForEvent('close')]);
}

/** A scenario; on failure the app window is saved as failed-<name>.png beside the screenshots. */
function scenario(name: string, body: () => Promise<void>): void {
  test(name, async () => {
    try {
      await body();
    } catch (error) {
      await screenshot(app.page, `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}`).catch(() => {});
      throw error;
    }
  });
}

const accounts = (page: Page) => page.getByRole('region', { name: 'Accounts' });
const accountRow = (page: Page, username: string) => accounts(page).getByRole('listitem').filter({ hasText: username });
const tokenPanel = (page: Page) => page.getByRole('region', { name: /^Token for/ });
const tokenFact = (page: Page, fact: string) => tokenPanel(page).locator('dt', { hasText: fact }).locator('xpath=following-sibling::dd[1]');

describe('the desktop app in Chromium', { timeout: 300_000 }, () => {
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    userDataDir = await mkdtemp(join(tmpdir(), 'desktop-e2e-'));
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
    await rm(userDataDir, { recursive: true, force: true });
  });

  scenario('first sign-in through the login window', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    await screenshot(page, '01-signed-out');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel' }).waitFor(); // the in-progress state offers Cancel
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    await screenshot(login, '02-login-window');
    await signInAs(login, 'alice');
    await accountRow(page, 'alice').waitFor();
    await tokenPanel(page).getByText('User.Read').first().waitFor();
    await screenshot(page, '03-signed-in');
    const state = await app.controller.getState();
    assert.equal(state.accounts.length, 1);
    assert.equal(state.activeAccountId, state.accounts[0]!.homeAccountId);
  });

  scenario('the cache on disk is encrypted: no token, username or JSON in the clear', async () => {
    const bytes = await readFile(join(userDataDir, 'app', 'token-cache.bin'));
    // Case-sensitive and long enough that random ciphertext cannot match by chance.
    assert.doesNotMatch(bytes.toString('latin1'), /alice@contoso|eyJhbGci|AccessToken|refresh_token|"secret"/);
  });

  scenario('after a restart the account is signed in silently, with no request to the IdP', async () => {
    idp.controls.resetCounts();
    await app.restart();
    await accountRow(app.page, 'alice').waitFor();
    await tokenFact(app.page, 'From cache').getByText('Yes').waitFor();
    assert.equal(idp.controls.requestCount(/\/token$/), 0, 'the token came from the cache, not the IdP');
    assert.equal((await app.controller.getState()).persistence.state, 'encrypted');
  });

  scenario('a second account, then switching between them', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    const login = await app.nextLoginWindow();
    await signInAs(login, 'bob');
    await accountRow(page, 'bob').waitFor();
    await page.getByRole('heading', { name: /^Token for Bob/ }).waitFor();
    await page.getByRole('button', { name: /^Switch to alice/ }).click();
    await page.getByRole('heading', { name: /^Token for Alice/ }).waitFor();
    await screenshot(page, '04-two-accounts');
    const state = await app.controller.getState();
    assert.equal(state.accounts.length, 2);
    assert.equal(state.accounts.find((a) => a.homeAccountId === state.activeAccountId)?.username.startsWith('alice'), true);
  });

  scenario('closing the login window cancels the sign-in', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    await login.close(); // the user closes the window
    // A cancel is the user's choice, not an error: no banner, just the activity log and buttons back.
    await page.getByText('Sign-in cancelled').first().waitFor();
    await page.getByRole('button', { name: 'Add account', exact: true }).and(page.locator(':enabled')).waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.equal((await app.controller.getState()).accounts.length, 2);
  });

  scenario('a token for the second API: consent once in the login window, then silently', async () => {
    const { page } = app;
    await tokenPanel(page).getByLabel('Get token for…').selectOption({ label: 'Sample API' });
    await tokenPanel(page).getByRole('button', { name: 'Get token' }).click();
    // The IdP's session is bob's (he signed in last), so the window asks alice to sign in first: the
    // app passed her login_hint, and a token for the wrong person must never come back.
    const consentWindow = await app.nextLoginWindow();
    assert.equal(await consentWindow.getByLabel('Username or email').inputValue(), 'alice@contoso.example');
    await signInAs(consentWindow, 'alice');
    await tokenFact(page, 'Source').getByText('interactive', { exact: true }).waitFor();
    await tokenPanel(page).getByRole('list', { name: 'Scopes' }).getByRole('listitem').filter({ hasText: /^access_as_user/ }).waitFor();
    await screenshot(page, '05-second-api');
    // Asked again: now it comes from the cache, no window.
    await tokenPanel(page).getByRole('button', { name: 'Get token' }).click();
    await tokenFact(page, 'From cache').getByText('Yes').waitFor();
  });

  scenario('force refresh fetches a new access token from the IdP', async () => {
    const { page } = app;
    idp.controls.resetCounts();
    await tokenPanel(page).getByRole('button', { name: 'Force refresh' }).click();
    await page.getByText(/^Refreshed/).waitFor();
    await tokenFact(page, 'Source').getByText('refresh', { exact: true }).waitFor();
    assert.equal(idp.controls.requestCount(/\/token$/), 1);
  });

  scenario('copy puts the access token on the clipboard, never in the page', async () => {
    const { page } = app;
    await tokenPanel(page).getByRole('button', { name: 'Copy access token' }).click();
    await page.getByText('Access token copied to the clipboard.').waitFor();
    assert.equal(app.clipboard.length, 1);
    const html = await page.content();
    assert.equal(html.includes(app.clipboard[0]!), false, 'the raw access token never reaches the renderer');
  });

  scenario('the countdown reaching refresh time gets a new token by itself', async () => {
    const { page } = app;
    idp.controls.setTokenLifetimes({ accessToken: 6 });
    await tokenPanel(page).getByRole('button', { name: 'Force refresh' }).click(); // a 6-second token
    await tokenFact(page, 'Source').getByText('refresh', { exact: true }).waitFor();
    idp.controls.resetCounts();
    // Nobody clicks: when the countdown runs out the panel asks again, and the engine refreshes.
    const deadline = Date.now() + 20_000;
    while (idp.controls.requestCount(/\/token$/) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(idp.controls.requestCount(/\/token$/) >= 1, 'the expiring token was refreshed without a click');
    idp.controls.setTokenLifetimes({ accessToken: 3600 });
  });

  scenario('remove an account, with confirmation', async () => {
    const { page } = app;
    await accountRow(page, 'bob').getByRole('button', { name: /^Remove bob/ }).click();
    await accountRow(page, 'bob').getByRole('button', { name: 'Remove', exact: true }).click();
    await accountRow(page, 'bob').waitFor({ state: 'detached' });
    assert.equal((await app.controller.getState()).accounts.length, 1);
  });

  scenario('device code: sign in on another device', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Other ways to sign in/ }).click();
    await page.getByRole('menuitem', { name: /code on another device/ }).click();
    const code = await page.getByLabel('Your code').innerText();
    await screenshot(page, '06-device-code');
    const verification = await page.getByRole('link', { name: /https:\/\/localhost/ }).first().getAttribute('href');
    const otherDevice = await launchTestBrowser({ trustedCertPem: idp.caCertPem }); // no session cookies
    const phone = await otherDevice.newPage();
    await phone.goto(verification!);
    await phone.getByLabel('Code').fill(code.trim());
    await phone.getByLabel('Code').press('Enter');
    await phone.getByRole('button', { name: 'Continue' }).click();
    await phone.getByLabel('Username or email').fill('bob');
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByLabel('Password').press('Enter');
    await phone.getByRole('heading', { name: 'You have signed in' }).waitFor();
    await accountRow(page, 'bob').waitFor();
    await page.getByLabel('Your code').waitFor({ state: 'detached' });
    await otherDevice.close();
  });

  scenario('call the sample API: it validates the token and calls the Graph-like API on behalf of the user', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Switch to alice/ }).click(); // alice consented to the sample API earlier
    await page.getByRole('heading', { name: /^Token for Alice/ }).waitFor();
    // Make sure her sample API token is fresh (an earlier scenario left it with a 6-second lifetime).
    await tokenPanel(page).getByLabel('Get token for…').selectOption({ label: 'Sample API' });
    await tokenPanel(page).getByRole('button', { name: 'Get token' }).click();
    await tokenPanel(page).getByRole('list', { name: 'Scopes' }).getByRole('listitem').filter({ hasText: /^access_as_user/ }).waitFor();
    idp.controls.resetCounts();
    await tokenPanel(page).getByRole('button', { name: 'Call sample API' }).click();
    await tokenPanel(page).getByRole('heading', { name: /Sample API answered 200/ }).waitFor();
    const answer = await tokenPanel(page).locator('.api-result pre').innerText();
    const body = JSON.parse(answer) as { incoming: { aud: string }; downstream: { aud: string; scp?: string } };
    assert.equal(body.incoming.aud, 'api://sample-api');
    assert.equal(body.downstream.aud, 'https://graph.localhost');
    assert.equal(idp.controls.requestCount(/\/token$/), 1, 'one on-behalf-of request; the desktop token came from the cache');
    await tokenPanel(page).locator('.api-result').scrollIntoViewIfNeeded();
    await screenshot(page, '08-sample-api');
  });

  scenario('the IdP down: a clear error, and the accounts stay', async () => {
    const { page } = app;
    await idp.stop();
    await tokenPanel(page).getByRole('button', { name: 'Force refresh' }).click();
    const banner = page.getByRole('alert').first();
    await banner.waitFor();
    assert.match(await banner.innerText(), /could not be reached/i);
    await screenshot(page, '07-idp-down');
    assert.equal((await app.controller.getState()).accounts.length, 2);
    await accountRow(page, 'alice').waitFor();
    await accountRow(page, 'bob').waitFor();
  });
});
