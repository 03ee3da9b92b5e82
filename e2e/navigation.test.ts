// Where the login window may go (issue 12), end to end in real Chromium with the desktop harness:
// a real sign-in leaves the authority (federation servers, MSA, MFA registration) and the window
// follows it, saying so in its title; a navigation the policy refuses ends the sign-in at once with an
// error the app shows, instead of a window that sits there until the timeout; the device code's link
// opens the IdP's verification page in the system browser. The "other origin" is a server of this test
// on 127.0.0.1 (the IdP is on localhost), serving the IdP's own certificate, which the browser trusts.
import { strict as assert } from 'node:assert';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDevIdp, type DevIdp } from '../idp/index.js';
import { CERT_FILE, KEY_FILE } from '../idp/certificate.js';
import { launchTestBrowser, type TestBrowser } from '../testkit/chromium.js';
import { serveBuiltRenderer, type RendererServer } from './support/renderer-server.js';
import { startDesktopInBrowser, type DesktopInBrowser } from './support/desktop-in-browser.js';
import { signInAs } from './support/login-page.js';

/** Generous on a loaded 2-core machine, and still far from the sign-in's 5-minute timeout. */
const ENDS_WITHIN_MS = 30_000;

let idp: DevIdp;
let renderer: RendererServer;
let browser: TestBrowser;
let app: DesktopInBrowser;
let dir: string;
/** "Fabrikam AD FS": https on 127.0.0.1, another origin than the IdP's. */
let federation: { origin: string; server: Server };
/** A plain-http web service of another program on loopback: not this sign-in's redirect. */
let localService: { origin: string; server: Server; hits: string[] };

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
const stop = (server: Server | undefined) => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));

async function startFederationServer(): Promise<{ origin: string; server: Server }> {
  const [key, cert] = await Promise.all([readFile(join(idp.dataDir, KEY_FILE), 'utf8'), readFile(join(idp.dataDir, CERT_FILE), 'utf8')]);
  const server = createHttpsServer({ key, cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://federation.invalid');
    const back = url.searchParams.get('return') ?? '';
    // Only ever back to the IdP: this test server is no open redirector.
    if (!back.startsWith(`${idp.url}/`)) return void res.writeHead(400).end();
    if (url.pathname === '/adfs/ls') {
      const next = `/adfs/continue?return=${encodeURIComponent(back)}`;
      return void res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(`<!doctype html><title>Fabrikam</title><h1>Fabrikam AD FS</h1><a href="${next}">Continue</a>`);
    }
    // As a federation server answers: a redirect back to the authority (will-redirect, https).
    if (url.pathname === '/adfs/continue') return void res.writeHead(302, { location: back }).end();
    res.writeHead(404).end();
  });
  const port = await listen(server);
  return { origin: `https://127.0.0.1:${port}`, server };
}

async function startLocalService(): Promise<{ origin: string; server: Server; hits: string[] }> {
  const hits: string[] = [];
  const server = createHttpServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('another program');
  });
  const port = await listen(server);
  return { origin: `http://127.0.0.1:${port}`, server, hits };
}

/** The page as the IdP's own script would send it somewhere (a renderer-initiated navigation). */
async function pageNavigates(login: Page, url: string): Promise<void> {
  await login.evaluate((to) => {
    (globalThis as unknown as { location: { href: string } }).location.href = to;
  }, url).catch(() => {}); // the navigation may tear the script's context down before it answers
}

/** Resolves once the window is closed (by the app, when the sign-in ends). Call before acting. */
function closing(login: Page): Promise<unknown> {
  return login.isClosed() ? Promise.resolve() : login.waitForEvent('close', { timeout: ENDS_WITHIN_MS });
}

const accountRow = (page: Page, username: string) => page.getByRole('region', { name: /^Accounts/ }).getByRole('listitem').filter({ hasText: username });
const signInButton = (page: Page) => page.getByRole('button', { name: /^(Sign in|Add account)$/ }).and(page.locator(':enabled'));

/** The one error banner: its text, then dismissed so the next case starts clean. */
async function bannerText(page: Page): Promise<string> {
  const banner = page.locator('.banner-error');
  await banner.getByText(/tried to open an address this app does not allow/).waitFor({ timeout: ENDS_WITHIN_MS });
  assert.equal(await banner.count(), 1);
  const text = await banner.innerText();
  await banner.getByRole('button', { name: /^Dismiss/ }).click();
  await banner.waitFor({ state: 'detached' });
  return text;
}

describe('the login window leaves the authority for https pages, and nothing else', { timeout: 240_000 }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'navigation-e2e-'));
    idp = await startDevIdp({ port: 0, dataDir: join(dir, 'idp') });
    federation = await startFederationServer();
    localService = await startLocalService();
    renderer = await serveBuiltRenderer();
    browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
    app = await startDesktopInBrowser({ browser, rendererOrigin: renderer.origin, idp, userDataDir: join(dir, 'app') });
    app.page.setDefaultTimeout(ENDS_WITHIN_MS);
  });
  after(async () => {
    await app?.close();
    await browser?.close();
    await renderer?.close();
    await stop(federation?.server);
    await stop(localService?.server);
    await idp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('a federation server on another origin is followed there and back; the title says where the user is', async () => {
    const { page } = app;
    await signInButton(page).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    const idpHost = new URL(idp.url).host;
    const federationHost = new URL(federation.origin).host;
    assert.equal(app.loginWindowTitle(login), `Sign in — ${idpHost}`);
    // What home-realm discovery does for a federated domain: the IdP's page sends the user away.
    await pageNavigates(login, `${federation.origin}/adfs/ls?return=${encodeURIComponent(login.url())}`);
    await login.getByRole('heading', { name: 'Fabrikam AD FS' }).waitFor();
    assert.equal(app.loginWindowTitle(login), `Signing in at ${federationHost} — redirected from ${idpHost}`);
    // Back through the federation server's redirect, to the IdP's page, and on to the sign-in.
    await login.getByRole('link', { name: 'Continue' }).click();
    await login.getByLabel('Username or email').waitFor();
    assert.equal(app.loginWindowTitle(login), `Sign in — ${idpHost}`);
    await signInAs(login, 'alice');
    await accountRow(page, 'alice').waitFor();
    assert.equal(await page.locator('.banner-error').count(), 0);
  });

  test('plain http to another loopback port is refused before it is sent, and the sign-in ends with the error shown', async () => {
    const { page } = app;
    await signInButton(page).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    const closed = closing(login);
    await pageNavigates(login, `${localService.origin}/admin?token=SECRET`);
    const text = await bannerText(page);
    assert.ok(text.includes(`${localService.origin} is plain http and not this sign-in's redirect`), text);
    assert.doesNotMatch(text, /\/admin|token=|SECRET/, 'scheme and host only');
    await closed; // the app closed the window: nothing is left waiting
    assert.deepEqual(localService.hits, [], 'the other program received nothing');
    await signInButton(page).waitFor();
    assert.equal((await app.controller.getState()).signIn.inProgress, false);
  });

  test('a custom scheme (a protocol handler) is refused, and the sign-in ends with the error shown', async () => {
    const { page } = app;
    await signInButton(page).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    const closed = closing(login);
    await pageNavigates(login, 'ms-test-handler://callback?code=SECRET');
    const text = await bannerText(page);
    assert.ok(text.includes('ms-test-handler://callback is not an https address'), text);
    assert.doesNotMatch(text, /SECRET/);
    await closed;
    await signInButton(page).waitFor();
  });

  test('a file: address never starts a navigation (Chromium refuses it in the page): the window stays usable', async () => {
    const { page } = app;
    await signInButton(page).click();
    const login = await app.nextLoginWindow();
    await login.getByLabel('Username or email').waitFor();
    await pageNavigates(login, 'file:///etc/passwd');
    // Still the IdP's page, still working: the sign-in carries on to the end.
    await signInAs(login, 'bob');
    await accountRow(page, 'bob').waitFor();
    assert.equal(await page.locator('.banner-error').count(), 0);
  });

  test("the device code link opens that code's verification_uri in the system browser, not in the app", async () => {
    const { page } = app;
    await page.getByRole('button', { name: /^Other ways to sign in/ }).click();
    await page.getByRole('menuitem', { name: /code on another device/ }).click();
    const panel = page.getByRole('region', { name: 'Sign in on another device' });
    const link = panel.getByRole('link', { name: /^https:\/\// });
    await link.waitFor();
    const expected = (await app.controller.getState()).deviceCode?.verificationUri;
    // The IdP's device login page, which (as Entra's microsoft.com/devicelogin) need not be on the authority's origin.
    assert.match(expected ?? '', /^https:\/\//);
    assert.equal(await link.innerText(), expected, 'the link shows the address it opens');
    const pages = browser.context.pages().length;
    const openedBefore = app.opened.length;
    await link.click();
    await link.click({ modifiers: ['Control'] }); // would open a new window: the same, in the system browser
    const deadline = Date.now() + ENDS_WITHIN_MS;
    while (app.opened.length < openedBefore + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(app.opened.slice(openedBefore), [expected, expected]);
    assert.equal(browser.context.pages().length, pages, 'no window opened inside the app');
    assert.equal(page.url(), `${renderer.origin}/`, 'the app window stayed on the app');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await panel.waitFor({ state: 'detached' });
  });
});
