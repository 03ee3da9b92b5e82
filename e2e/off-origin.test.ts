// Entra sends people to other origins during sign-in; the app must follow. The desktop app in Chromium
// (built renderer, real controller, engine and local IdP) through: a federated domain (the federation
// service on its own origin), an interstitial on another origin, and the device login page on its own
// origin opened by "another device".
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDevIdp, TENANTS, USERS, type DevIdp } from '../idp/index.js';
import type { AppConfig } from '../electron/app/config.js';
import { launchTestBrowser, type TestBrowser } from '../testkit/chromium.js';
import { serveBuiltRenderer, type RendererServer } from './support/renderer-server.js';
import { startDesktopInBrowser, type DesktopInBrowser } from './support/desktop-in-browser.js';

const SCREENSHOTS = resolve(import.meta.dirname, '..', 'test-results', 'screenshots');
const PASSWORD = 'Passw0rd!';

let idp: DevIdp;
let renderer: RendererServer;
let browser: TestBrowser;
let workDir: string;
let apps = 0;

const accounts = (page: Page) => page.getByRole('region', { name: /^Accounts/ });
const accountRow = (page: Page, username: string) => accounts(page).getByRole('listitem').filter({ hasText: username });
const originOf = (url: string) => new URL(url).origin;

/** A fresh app (own user data) for one scenario; on failure its window is saved beside the screenshots. */
async function withApp(name: string, config: Partial<AppConfig>, body: (app: DesktopInBrowser) => Promise<void>): Promise<void> {
  const app = await startDesktopInBrowser({ browser, rendererOrigin: renderer.origin, idp, userDataDir: join(workDir, `app-${apps++}`), config });
  try {
    await body(app);
  } catch (error) {
    await app.page.screenshot({ path: join(SCREENSHOTS, `failed-off-origin-${name}.png`) }).catch(() => {});
    throw error;
  } finally {
    await app.close();
  }
}

/** Consent is asked the first time a user signs in to the app; then the window closes by itself. */
async function acceptConsent(login: Page): Promise<void> {
  const accept = login.getByRole('button', { name: 'Accept', exact: true });
  await Promise.race([accept.click().catch(() => {}), login.waitForEvent('close')]);
}

describe('sign-in across origins, in Chromium', { timeout: 240_000 }, () => {
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    workDir = await mkdtemp(join(tmpdir(), 'off-origin-e2e-'));
    idp = await startDevIdp({ port: 0, dataDir: join(workDir, 'idp') });
    renderer = await serveBuiltRenderer();
    browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
  });
  after(async () => {
    await browser?.close();
    await renderer?.close();
    await idp?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('federated sign-in: home realm discovery sends dave to the federation service, which posts back', async () => {
    await withApp('federated', { localTenant: 'northwind' }, async (app) => {
      const { page } = app;
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const login = await app.nextLoginWindow();
      // The username alone: its domain is federated, so the authority never asks for the password.
      await login.getByLabel('Username or email').fill(USERS.dave.upn);
      await login.getByLabel('Username or email').press('Enter');
      await login.getByRole('heading', { name: 'Northwind Federation Services' }).waitFor();
      assert.equal(originOf(login.url()), originOf(idp.federationUrl));
      assert.notEqual(originOf(login.url()), idp.url);
      await login.screenshot({ path: join(SCREENSHOTS, 'off-origin-federation.png') });
      await login.getByLabel('Password').fill(PASSWORD);
      await login.getByLabel('Password').press('Enter');
      await acceptConsent(login);
      const row = accountRow(page, USERS.dave.upn);
      await row.waitFor();
      await row.getByText('Northwind', { exact: true }).waitFor();
      const state = await app.controller.getState();
      assert.equal(state.accounts.length, 1);
      assert.equal(state.accounts[0]!.username, USERS.dave.upn);
      assert.equal(state.accounts[0]!.tenantId, TENANTS.northwind.id);
    });
  });

  test('the interstitial on another origin completes and the sign-in finishes', async () => {
    await withApp('interstitial', {}, async (app) => {
      const { page } = app;
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      const login = await app.nextLoginWindow();
      await login.getByLabel('Username or email').fill('erin');
      await login.getByLabel('Password').fill(PASSWORD);
      await login.getByLabel('Password').press('Enter');
      await login.getByRole('heading', { name: 'More information required' }).waitFor();
      assert.equal(originOf(login.url()), originOf(idp.interstitialUrl));
      await login.screenshot({ path: join(SCREENSHOTS, 'off-origin-interstitial.png') });
      await login.getByRole('button', { name: 'Continue' }).click();
      await acceptConsent(login);
      await accountRow(page, USERS.erin.upn).waitFor();
      await accountRow(page, USERS.erin.upn).getByText('Contoso', { exact: true }).waitFor();
    });
  });

  test('device code: the link names the device login origin; another device opens verification_uri_complete', async () => {
    await withApp('device-code', {}, async (app) => {
      const { page } = app;
      await page.getByRole('button', { name: /^Other ways to sign in/ }).click();
      await page.getByRole('menuitem', { name: /code on another device/ }).click();
      const code = (await page.locator('#device-user-code').innerText()).trim();
      const link = await page.getByRole('link', { name: /https:\/\/localhost/ }).first().getAttribute('href');
      assert.equal(link, idp.deviceLoginUrl, 'the page to open is the device login origin, not the authority');
      const complete = (await app.controller.getState()).deviceCode?.verificationUriComplete;
      assert.equal(complete, `${idp.deviceLoginUrl}?user_code=${encodeURIComponent(code)}`);
      const otherDevice = await launchTestBrowser({ trustedCertPem: idp.caCertPem }); // no session cookies
      try {
        const phone = await otherDevice.newPage();
        phone.setDefaultTimeout(20_000);
        await phone.goto(complete!);
        // The code came with the link: the authority only asks to confirm the app, then who signs in.
        await phone.getByText(code).waitFor();
        assert.equal(originOf(phone.url()), idp.url);
        await phone.getByRole('button', { name: 'Continue' }).click();
        await phone.getByLabel('Username or email').fill('bob');
        await phone.getByLabel('Password').fill(PASSWORD);
        await phone.getByLabel('Password').press('Enter');
        await phone.getByRole('button', { name: 'Accept' }).click();
        await phone.getByRole('heading', { name: 'You have signed in' }).waitFor();
      } finally {
        await otherDevice.close();
      }
      await accountRow(page, USERS.bob.upn).waitFor();
      await page.locator('#device-user-code').waitFor({ state: 'detached' });
    });
  });
});
