// The desktop app end to end in real Chromium: the built renderer, the real controller, engine,
// encrypted cache (gnome-keyring behind keytar) and the local IdP. Scenarios run in order, as a person
// would use the app; each main screen is saved to test-results/screenshots/ and checked with axe-core
// in the light and the dark scheme; one scenario uses the keyboard alone and asserts where focus is.
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
import { axeBothSchemes, focused, tabTo, waitForFocus } from './support/a11y.js';
import { manyAccounts, openStaticApp } from './support/static-desktop.js';
import { signInAs } from './support/login-page.js';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'test-results', 'screenshots');
const PASSWORD = 'Passw0rd!';

let idp: DevIdp;
let renderer: RendererServer;
let browser: TestBrowser;
let app: DesktopInBrowser;
let userDataDir: string;

async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), ...options });
}

/** axe finds nothing, light and dark. The activity log is opened first so its list is checked too. */
async function assertAccessible(page: Page, state: string): Promise<void> {
  const details = page.locator('.activity details');
  if ((await details.count()) > 0) await details.evaluate((d) => d.setAttribute('open', ''));
  const violations = await axeBothSchemes(page);
  assert.deepEqual(violations, [], `axe on "${state}"`);
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

const accounts = (page: Page) => page.getByRole('region', { name: /^Accounts/ });
const accountRow = (page: Page, username: string) => accounts(page).getByRole('listitem').filter({ hasText: username });
const tokenPanel = (page: Page) => page.getByRole('region', { name: /^Tokens/ });
const tokenRows = (page: Page) => tokenPanel(page).getByRole('list', { name: 'Cached access tokens' }).getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3 }) });
const tokenRow = (page: Page, api: string) => tokenRows(page).filter({ has: page.getByRole('heading', { name: api, exact: true }) });
const rowNames = async (page: Page) => (await tokenRows(page).getByRole('heading', { level: 3 }).allInnerTexts()).map((t) => t.trim());
const statusLine = (page: Page) => page.locator('.status-line');

describe('the desktop app in Chromium', { timeout: 420_000 }, () => {
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

  scenario('first sign-in through the login window: the token table shows how the token came', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
    // The first screen says which authority and client the app is set up for.
    await tokenPanel(page).getByText('desktop-sample').waitFor();
    assert.match(await tokenPanel(page).innerText(), /Authority[\s\S]*contoso/);
    await screenshot(page, '01-signed-out');
    await assertAccessible(page, 'signed out');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Cancel sign-in' }).waitFor(); // the in-progress state offers Cancel
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    await screenshot(login, '02-login-window');
    await signInAs(login, 'alice');
    await accountRow(page, 'alice').waitFor();
    // Issue 2: the sign-in's own result, not "cache — came silently".
    await tokenRow(page, 'Graph-like API').getByText(/Got by interactive sign-in/).waitFor();
    await waitForFocus(page, /^Tokens for Alice/);
    // Issue 7: the tenant by name.
    await accountRow(page, 'alice').getByText('Contoso', { exact: true }).waitFor();
    await screenshot(page, '03-signed-in');
    await assertAccessible(page, 'signed in');
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
    await tokenRow(app.page, 'Graph-like API').getByText(/Got before this session/).waitFor();
    await tokenPanel(app.page).getByText(/Refresh token:\s*present/).waitFor();
    assert.equal(idp.controls.requestCount(/\/token$/), 0, 'the token came from the cache, not the IdP');
    assert.equal((await app.controller.getState()).persistence.state, 'encrypted');
  });

  scenario('a second account, then switching between them', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    const login = await app.nextLoginWindow();
    await signInAs(login, 'bob');
    await accountRow(page, 'bob').waitFor();
    await waitForFocus(page, /^Tokens for Bob/);
    await page.getByRole('button', { name: /^Switch to alice/ }).click();
    await waitForFocus(page, /^Tokens for Alice/);
    await screenshot(page, '04-two-accounts');
    const state = await app.controller.getState();
    assert.equal(state.accounts.length, 2);
    assert.equal(state.accounts.find((a) => a.homeAccountId === state.activeAccountId)?.username.startsWith('alice'), true);
  });

  scenario('closing the login window cancels the sign-in: said near the header, focus back on the button', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    await login.close(); // the user closes the window
    // A cancel is the user's choice, not an error: no banner, a status line, and the button has focus again.
    await statusLine(page).getByText(/Sign-in cancelled/).waitFor();
    await page.getByRole('button', { name: 'Add account', exact: true }).and(page.locator(':enabled')).waitFor();
    await waitForFocus(page, /^Add account$/);
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.equal((await app.controller.getState()).accounts.length, 2);
  });

  scenario('a token for the second API: consent once, then both tokens stay in the table, across switching', async () => {
    const { page } = app;
    await tokenPanel(page).getByLabel('Get a token for').selectOption({ label: 'Sample API' });
    await tokenPanel(page).getByRole('button', { name: 'Get token' }).click();
    // The IdP's session is bob's (he signed in last), so the window asks alice to sign in first: the
    // app passed her login_hint, and a token for the wrong person must never come back.
    const consentWindow = await app.nextLoginWindow();
    assert.equal(await consentWindow.getByLabel('Username or email').inputValue(), 'alice@contoso.example');
    await signInAs(consentWindow, 'alice');
    await tokenRow(page, 'Sample API').getByText(/Got by interactive sign-in or consent/).waitFor();
    assert.deepEqual(await rowNames(page), ['Graph-like API', 'Sample API']);
    await tokenRow(page, 'Sample API').getByText('api://sample-api', { exact: true }).waitFor();
    // Issue 1: switching away and back keeps every token visible.
    await page.getByRole('button', { name: /^Switch to bob/ }).click();
    await waitForFocus(page, /^Tokens for Bob/);
    await page.getByRole('button', { name: /^Switch to alice/ }).click();
    await waitForFocus(page, /^Tokens for Alice/);
    await tokenRow(page, 'Sample API').waitFor();
    assert.deepEqual(await rowNames(page), ['Graph-like API', 'Sample API']);
    await screenshot(page, '05-token-table-two-apis');
    await assertAccessible(page, 'token table with two APIs');
  });

  scenario('a refused consent is about that API, with "Ask again"; the other token is unaffected', async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Switch to bob/ }).click();
    await waitForFocus(page, /^Tokens for Bob/);
    await tokenPanel(page).getByLabel('Get a token for').selectOption({ label: 'Sample API' });
    await tokenPanel(page).getByRole('button', { name: 'Get token' }).click();
    const consentWindow = await app.nextLoginWindow();
    await signInAs(consentWindow, 'bob', 'Cancel');
    const failure = tokenPanel(page).locator('.token-failure');
    await failure.getByText('Access to Sample API was declined.').waitFor();
    await waitForFocus(page, /^Access to Sample API was declined\.$/);
    const text = await failure.innerText();
    assert.match(text, /other tokens are unaffected/);
    assert.doesNotMatch(text.split('Details')[0]!, /sign in again|AADSTS/i, 'not framed as a sign-in error; codes behind the disclosure');
    assert.deepEqual(await rowNames(page), ['Graph-like API']);
    await screenshot(page, '09-consent-declined');
    await assertAccessible(page, 'consent declined');
    await failure.getByRole('button', { name: 'Ask again' }).click();
    const again = await app.nextLoginWindow();
    await signInAs(again, 'bob');
    await tokenRow(page, 'Sample API').waitFor();
    assert.equal(await failure.count(), 0);
    await page.getByRole('button', { name: /^Switch to alice/ }).click();
    await waitForFocus(page, /^Tokens for Alice/);
  });

  scenario('refresh one row: a new access token from the IdP, its source updated', async () => {
    const { page } = app;
    idp.controls.resetCounts();
    await tokenRow(page, 'Graph-like API').getByRole('button', { name: 'Refresh the Graph-like API token' }).click();
    await tokenRow(page, 'Graph-like API').getByText(/Got silently, with the refresh token/).waitFor();
    await statusLine(page).getByText(/refreshed silently/).waitFor();
    assert.equal(idp.controls.requestCount(/\/token$/), 1);
  });

  scenario('copy puts the access token on the clipboard, never in the page', async () => {
    const { page } = app;
    await tokenRow(page, 'Sample API').getByRole('button', { name: 'Copy the Sample API access token' }).click();
    await statusLine(page).getByText(/Access token for Sample API copied/).waitFor();
    assert.equal(app.clipboard.length, 1);
    const html = await page.content();
    assert.equal(html.includes(app.clipboard[0]!), false, 'the raw access token never reaches the renderer');
  });

  scenario('a row whose countdown reaches refresh time gets a new token by itself', async () => {
    const { page } = app;
    idp.controls.setTokenLifetimes({ accessToken: 6 });
    await tokenRow(page, 'Graph-like API').getByRole('button', { name: /^Refresh the Graph/ }).click(); // a 6-second token
    await tokenRow(page, 'Graph-like API').getByText(/Expires in 0:0\d/).waitFor();
    idp.controls.resetCounts();
    // Nobody clicks: when the countdown runs out the row asks again, and the engine refreshes.
    const deadline = Date.now() + 20_000;
    while (idp.controls.requestCount(/\/token$/) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(idp.controls.requestCount(/\/token$/) >= 1, 'the expiring token was refreshed without a click');
    idp.controls.setTokenLifetimes({ accessToken: 3600 });
    await tokenRow(page, 'Graph-like API').getByRole('button', { name: /^Refresh the Graph/ }).click();
    await tokenRow(page, 'Graph-like API').getByText(/Expires in (59|60|1:00):/).waitFor();
  });

  scenario('device code: the code gets focus, then the sign-in lands on the new account’s tokens', async () => {
    const { page } = app;
    await accountRow(page, 'bob').getByRole('button', { name: /^Sign out bob/ }).click();
    await accountRow(page, 'bob').getByRole('button', { name: 'Sign out', exact: true }).click();
    await accountRow(page, 'bob').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: /^Other ways to sign in/ }).click();
    await page.getByRole('menuitem', { name: /code on another device/ }).click();
    const codeElement = page.locator('#device-user-code');
    const code = (await codeElement.innerText()).trim();
    await waitForFocus(page, new RegExp(`^Your code: ${code}$`));
    assert.equal(await page.getByRole('button', { name: /^Cancel/ }).count(), 1, 'one Cancel during device code');
    await screenshot(page, '06-device-code');
    await assertAccessible(page, 'device code');
    const verification = await page.getByRole('link', { name: /https:\/\/localhost/ }).first().getAttribute('href');
    const otherDevice = await launchTestBrowser({ trustedCertPem: idp.caCertPem }); // no session cookies
    try {
      const phone = await otherDevice.newPage();
      await phone.goto(verification!);
      await phone.getByLabel('Code').fill(code);
      await phone.getByLabel('Code').press('Enter');
      await phone.getByRole('button', { name: 'Continue' }).click();
      await phone.getByLabel('Username or email').fill('bob');
      await phone.getByLabel('Password').fill(PASSWORD);
      await phone.getByLabel('Password').press('Enter');
      await phone.getByRole('heading', { name: 'You have signed in' }).waitFor();
    } finally {
      await otherDevice.close();
    }
    await accountRow(page, 'bob').waitFor();
    await codeElement.waitFor({ state: 'detached' });
    await tokenRow(page, 'Graph-like API').getByText(/Got by device code sign-in/).waitFor();
    await waitForFocus(page, /^Tokens for Bob/);
  });

  scenario('device code expiry: the panel stays, says when the code expired, and offers a new one', async () => {
    const { page } = app;
    idp.controls.setTokenLifetimes({ deviceCode: 4 });
    idp.controls.setDeviceFlow({ interval: 1 });
    try {
      await page.getByRole('button', { name: /^Other ways to sign in/ }).click();
      await page.getByRole('menuitem', { name: /code on another device/ }).click();
      const panel = page.getByRole('region', { name: 'Sign in on another device' });
      await panel.getByText(/^Code expired at \d\d:\d\d:\d\d\./).waitFor();
      assert.doesNotMatch(await panel.innerText(), /5 minutes/);
      await waitForFocus(page, /^Get a new code$/);
      assert.equal(await page.locator('.banner-error').count(), 0, 'the panel says it; no banner repeats it');
      await screenshot(page, '10-device-code-expired');
      await assertAccessible(page, 'device code expired');
      idp.controls.setTokenLifetimes({ deviceCode: 900 });
      await page.keyboard.press('Enter'); // "Get a new code"
      await waitForFocus(page, /^Your code: /);
      await page.keyboard.press('Escape'); // cancels the device code sign-in
      await panel.waitFor({ state: 'detached' });
      await waitForFocus(page, /^Other ways to sign in/);
    } finally {
      idp.controls.setTokenLifetimes({ deviceCode: 900 });
    }
  });

  scenario('keyboard only: sign in, switch, a token for another API, sign out, device code with cancel', async () => {
    const { page } = app;
    await page.reload(); // as the window opens: focus at the top of the document
    await tokenPanel(page).getByRole('list', { name: 'Cached access tokens' }).waitFor();
    // Skip link first.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'Skip to tokens');
    await page.keyboard.press('Enter');
    await waitForFocus(page, /^Tokens for /);
    // Sign in carol (add an account).
    await tabTo(page, /^Add account$/, { backwards: true });
    await page.keyboard.press('Enter');
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').focus();
    await login.keyboard.type('carol');
    await login.keyboard.press('Tab');
    await login.keyboard.type(PASSWORD);
    await login.keyboard.press('Enter');
    const accept = login.getByRole('button', { name: 'Accept' });
    await Promise.race([accept.waitFor().then(() => accept.focus()).then(() => login.keyboard.press('Enter')).catch(() => {}), login.waitForEvent('close')]);
    await waitForFocus(page, /^Tokens for Carol/);
    // Guest from Fabrikam, visible.
    await accountRow(page, 'carol').getByText('guest from Fabrikam').waitFor();
    // Switch to alice.
    await tabTo(page, /^Switch to alice/, { backwards: true });
    await page.keyboard.press('Enter');
    await waitForFocus(page, /^Tokens for Alice/);
    // A token for another API: pick "Sample API" in the select with the arrow keys, then Get token.
    const select = await tabTo(page, /^Get a token for/);
    assert.equal(select.tag, 'select');
    await page.keyboard.press('ArrowDown');
    assert.equal(await tokenPanel(page).getByLabel('Get a token for').inputValue(), 'sample-api');
    await tabTo(page, /^Get token$/);
    await page.keyboard.press('Enter');
    await statusLine(page).getByText(/Token for Sample API ready/).waitFor();
    await waitForFocus(page, /^Tokens for Alice/);
    // Sign out carol: Escape on the confirmation returns to her Sign out button; then confirm.
    const signOutCarol = /^Sign out carol/;
    await tabTo(page, signOutCarol, { backwards: true });
    await page.keyboard.press('Enter');
    assert.equal((await focused(page)).name, 'Cancel', 'the safe choice has focus');
    await page.keyboard.press('Escape');
    await waitForFocus(page, signOutCarol);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Tab');
    assert.equal((await focused(page)).name, 'Sign out');
    await page.keyboard.press('Enter');
    await accountRow(page, 'carol').waitFor({ state: 'detached' });
    await waitForFocus(page, /^Accounts/);
    // Device code, then Cancel.
    await tabTo(page, /^Other ways to sign in/, { backwards: true });
    await page.keyboard.press('Enter');
    await waitForFocus(page, /code on another device/);
    await page.keyboard.press('Enter');
    await waitForFocus(page, /^Your code: /);
    await tabTo(page, /^Cancel$/);
    await page.keyboard.press('Enter');
    await page.locator('#device-user-code').waitFor({ state: 'detached' });
    await waitForFocus(page, /^Other ways to sign in/);
  });

  scenario('call the sample API: it validates the token and calls the Graph-like API on behalf of the user', async () => {
    const { page } = app;
    idp.controls.resetCounts();
    await tokenRow(page, 'Sample API').getByRole('button', { name: 'Call API: Sample API' }).click();
    await tokenPanel(page).getByRole('heading', { name: /Sample API answered 200/ }).waitFor();
    const answer = await tokenPanel(page).locator('.api-result pre').innerText();
    const body = JSON.parse(answer) as { incoming: { aud: string }; downstream: { aud: string; scp?: string } };
    assert.equal(body.incoming.aud, 'api://sample-api');
    assert.equal(body.downstream.aud, 'https://graph.localhost');
    assert.equal(idp.controls.requestCount(/\/token$/), 1, 'one on-behalf-of request; the desktop token came from the cache');
    await tokenPanel(page).locator('.api-result').scrollIntoViewIfNeeded();
    await screenshot(page, '08-sample-api');
  });

  scenario('sign out with "Also sign out of <IdP> in the sign-in window": the IdP ends its session there, then a password again', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    await signInAs(await app.nextLoginWindow(), 'carol');
    await accountRow(page, 'carol').waitFor();
    const openedBefore = app.opened.length;
    idp.controls.resetCounts();
    await accountRow(page, 'carol').getByRole('button', { name: /^Sign out carol/ }).click();
    const host = new URL(idp.url).host;
    await accountRow(page, 'carol').getByRole('checkbox', { name: `Also sign out of ${host} in the sign-in window` }).check();
    await assertAccessible(page, 'sign out with the IdP option');
    await accountRow(page, 'carol').getByRole('button', { name: 'Sign out', exact: true }).click();
    // The IdP's own sign-out page, in a login window (its partition holds the IdP's cookie), not the system browser.
    const logout = await app.nextLoginWindow();
    await logout.getByRole('heading', { name: 'Sign out' }).waitFor();
    await logout.getByRole('button', { name: 'Sign out', exact: true }).click();
    await accountRow(page, 'carol').waitFor({ state: 'detached' });
    if (!logout.isClosed()) await logout.waitForEvent('close', { timeout: 15_000 }); // closed by the app once the IdP redirected back
    assert.equal(app.opened.length, openedBefore, 'nothing opened in the system browser');
    assert.equal(idp.controls.requestCount(/\/oauth2\/v2\.0\/logout\/confirm$/), 1, 'the IdP ended its session');
    await page.locator('.activity').getByText(`Signed out of ${host}`).first().waitFor({ state: 'attached' });
    // No SSO cookie left: the next sign-in asks for the password again. Closing the window cancels it.
    await page.getByRole('button', { name: 'Add account', exact: true }).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Password').waitFor();
    await login.close();
    await page.getByRole('button', { name: 'Add account', exact: true }).waitFor();
    assert.equal((await app.controller.getState()).accounts.length, 2);
  });

  scenario('the IdP down: one offline state that says what failed, retries, and disables what needs a valid token', async () => {
    const { page } = app;
    idp.controls.setTokenLifetimes({ accessToken: 5 });
    await tokenRow(page, 'Sample API').getByRole('button', { name: /^Refresh the Sample API/ }).click(); // a 5-second token
    await tokenRow(page, 'Sample API').getByText(/Expires in 0:0\d/).waitFor();
    await idp.stop();
    await tokenRow(page, 'Graph-like API').getByRole('button', { name: /^Refresh the Graph/ }).click();
    const offline = page.locator('.banner-offline');
    await offline.getByText(/^Offline since \d\d:\d\d:\d\d/).waitFor();
    const first = await offline.innerText();
    assert.match(first, /refused the connection/, 'says what actually failed');
    assert.doesNotMatch(first, /check your network/i, 'the network is fine: the provider refused');
    assert.doesNotMatch(first, /unaffected/i);
    assert.match(first, /Next automatic try at \d\d:\d\d:\d\d/);
    // The short-lived token runs out: it says so, and Copy / Call API are off for it.
    const sample = tokenRow(page, 'Sample API');
    await sample.getByText(/^Expired at/).waitFor({ timeout: 30_000 });
    await sample.getByText(/cannot be used or refreshed until/).waitFor();
    assert.equal(await sample.getByRole('button', { name: /^Copy/ }).isDisabled(), true);
    assert.equal(await sample.getByRole('button', { name: /^Call/ }).isDisabled(), true);
    assert.equal(await page.locator('.banner-error').count(), 0, 'no second, identical banner');
    // A second failure visibly changes the one banner.
    const attempts = async () => Number(/(\d+) failed attempts?/.exec(await offline.innerText())?.[1]);
    const before = await attempts();
    await offline.getByRole('button', { name: 'Retry now' }).click();
    const deadline = Date.now() + 20_000;
    while ((await attempts()) <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok((await attempts()) > before, 'the retry shows as another failed attempt');
    assert.equal(await statusLine(page).innerText(), '', 'no stale "Refreshed" note beside the offline state');
    await screenshot(page, '07-idp-down');
    await assertAccessible(page, 'offline');
    assert.equal((await app.controller.getState()).accounts.length, 2);
  });

  scenario('twelve accounts at 800×600: compact rows, the active one pinned, reflow down to 320 px', async () => {
    const page = await openStaticApp(browser, renderer.origin, { accounts: manyAccounts(12), activeIndex: 9 });
    try {
      await page.setViewportSize({ width: 800, height: 600 });
      await page.goto(`${renderer.origin}/`);
      await tokenPanel(page).getByRole('heading', { name: 'Sample API' }).waitFor();
      await screenshot(page, '11-twelve-accounts-800x600');
      const viewport = page.viewportSize()!;
      const activeRow = page.getByRole('list', { name: 'Active account' }).getByRole('listitem');
      const box = await activeRow.boundingBox();
      assert.ok(box && box.y + box.height <= viewport.height, 'the active account is on screen');
      const signOutAll = await page.getByRole('button', { name: 'Sign out of all' }).boundingBox();
      assert.ok(signOutAll && signOutAll.y + signOutAll.height <= viewport.height + 400, '"Sign out of all" is near, not 2,000 px down');
      const rowHeight = (await page.getByRole('list', { name: 'Other accounts' }).getByRole('listitem').first().boundingBox())!.height;
      assert.ok(rowHeight <= 72, `compact rows (${rowHeight} px, was 136)`);
      const heading = (await page.locator('#token-heading').boundingBox())!;
      assert.ok(heading.height < 40, 'the token heading is one line');
      const long = page.getByRole('listitem').filter({ hasText: 'Maximilian' }).locator('.account-name');
      assert.equal(await long.evaluate((el) => el.scrollWidth > el.clientWidth), true, 'a long name is cut');
      assert.equal(await long.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { textOverflow: string } }).getComputedStyle(el).textOverflow), 'ellipsis');
      assert.match((await long.getAttribute('title')) ?? '', /Featherstonehaugh/, 'the full name is in the tooltip');
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, '12-dark');
      await page.emulateMedia({ colorScheme: 'light' });
      await assertAccessible(page, 'twelve accounts');
      for (const width of [400, 320]) {
        await page.setViewportSize({ width, height: 700 });
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        assert.equal(overflow, 0, `no horizontal scrolling at ${width} px`);
      }
      await screenshot(page, '13-reflow-320', { fullPage: true });
    } finally {
      await page.close();
    }
  });
});
