// The same scenarios as e2e/desktop.test.ts, in the real Electron app through Playwright's `_electron`.
// Our machines have no Electron binary (see README), so here every test is reported as SKIPPED with the
// reason — never as passed. Where a binary exists (ELECTRON_PATH, ELECTRON_OVERRIDE_DIST_PATH, or
// a first `npm start`, which downloads it), they run against the built app (`npm run build` first).
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { _electron as electron, type ElectronApplication, type Locator, type Page } from 'playwright-core';
import { APP_ENTRY_URL } from '../../electron/main/app-protocol.js';
import { findElectronBinary } from '../../scripts/electron-binary.js';

const binary = findElectronBinary();
const skip = binary
  ? false
  : 'no Electron binary on this machine (set ELECTRON_PATH or ELECTRON_OVERRIDE_DIST_PATH, or run `npm start` once to download it); e2e/desktop.test.ts covers the same scenarios in Chromium';
const root = resolve(import.meta.dirname, '..', '..');
const PASSWORD = 'Passw0rd!';
/** Generous: a loaded 2-core machine starts Electron, the local IdP and the sample API slowly. */
const LAUNCH_TIMEOUT_MS = 120_000;
const WAIT_MS = 60_000;

let userDataDir: string;
/**
 * The local IdP's port, the same for every launch: an account's environment (its authority) includes the
 * port, so a restart on another port would find no account to sign in silently.
 */
let idpPort: number;
let app: ElectronApplication;
let window: Page;

/** A port nobody listens on right now (the kernel's choice), released again for the app to take. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

/** The environment of the app under test: the fixed IdP port, the built renderer, Electron as Electron. */
function appEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  env.IDP_PORT = String(idpPort);
  delete env.RENDERER_DEV_URL; // the built renderer, not a developer's Vite server
  delete env.ELECTRON_RUN_AS_NODE; // would start the binary as plain Node
  return env;
}

async function launch(): Promise<void> {
  app = await electron.launch({
    executablePath: binary!,
    args: [root, `--user-data-dir=${userDataDir}`],
    env: appEnv(),
    timeout: LAUNCH_TIMEOUT_MS,
  });
  window = await app.firstWindow({ timeout: LAUNCH_TIMEOUT_MS });
  // firstWindow() resolves when the window exists, maybe still on about:blank: wait for our renderer
  // (its preload has run by then), or the first assertions would look at an empty page.
  await window.waitForURL(APP_ENTRY_URL, { waitUntil: 'domcontentloaded', timeout: LAUNCH_TIMEOUT_MS });
}

/**
 * Clicks `button` and returns the login window that click opens. The listener is attached before the
 * click: the window can open before a `waitForEvent` started after the click would be listening.
 */
async function clickForLoginWindow(button: Locator): Promise<Page> {
  const [login] = await Promise.all([app.waitForEvent('window', { timeout: WAIT_MS }), button.click()]);
  await login.getByLabel('Username or email').waitFor({ timeout: WAIT_MS });
  return login;
}

/** What a person does in the login window: username, password, then consent when it is asked for. */
async function signInAs(login: Page, username: string): Promise<void> {
  await login.getByLabel('Username or email').fill(username);
  await login.getByLabel('Password').fill(PASSWORD);
  // Listening for the close before the submit: without consent the window closes as soon as the IdP
  // redirects back, which can be before the press() below returns.
  const closed = login.waitForEvent('close', { timeout: WAIT_MS });
  await login.getByLabel('Password').press('Enter');
  // Consent is asked once per app and permission set; afterwards the IdP redirects straight back (and
  // the click then fails on the closed window, which is fine: `closed` settles the race).
  await Promise.race([login.getByRole('button', { name: 'Accept' }).click({ timeout: WAIT_MS }).catch(() => {}), closed]);
}

const signInButton = () => window.getByRole('button', { name: 'Sign in', exact: true });
const addAccountButton = () => window.getByRole('button', { name: 'Add account', exact: true });
const accountRow = (username: string) => window.getByRole('region', { name: /^Accounts/ }).getByRole('listitem').filter({ hasText: username });

describe('the Electron app', { timeout: 300_000 }, () => {
  before(async () => {
    if (skip) return;
    assert.ok(existsSync(join(root, 'dist', 'electron', 'main', 'index.js')), 'the app is not built: run `npm run build` first');
    userDataDir = await mkdtemp(join(tmpdir(), 'electron-e2e-'));
    idpPort = await freePort();
    await launch();
  });
  after(async () => {
    await app?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
  });

  test('the renderer runs isolated: no Node, only window.authApp', { skip }, async () => {
    assert.equal(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
    assert.equal(await window.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
    assert.equal(await window.evaluate(() => typeof (globalThis as { authApp?: unknown }).authApp), 'object');
  });

  test('first sign-in in the modal login window', { skip }, async () => {
    const login = await clickForLoginWindow(signInButton());
    await signInAs(login, 'alice');
    await accountRow('alice').waitFor({ timeout: WAIT_MS });
  });

  test('closing the login window cancels the sign-in', { skip }, async () => {
    const login = await clickForLoginWindow(addAccountButton());
    await login.close(); // the user closes the window
    await window.getByText('Sign-in cancelled').first().waitFor({ timeout: WAIT_MS });
    await addAccountButton().and(window.locator(':enabled')).waitFor({ timeout: WAIT_MS });
  });

  test('after a restart the account is signed in silently', { skip }, async () => {
    await app.close();
    await launch(); // same user data, same IdP port: the cached account's authority is still this IdP
    await accountRow('alice').waitFor({ timeout: WAIT_MS });
  });

  test('a second account, switch, remove', { skip }, async () => {
    const login = await clickForLoginWindow(addAccountButton());
    await signInAs(login, 'bob');
    await accountRow('bob').waitFor({ timeout: WAIT_MS });
    await window.getByRole('button', { name: /^Switch to alice/ }).click();
    await window.getByRole('heading', { name: /^Tokens for Alice/ }).waitFor({ timeout: WAIT_MS });
    await accountRow('bob').getByRole('button', { name: /^Sign out bob/ }).click();
    await accountRow('bob').getByRole('button', { name: 'Sign out', exact: true }).click();
    await accountRow('bob').waitFor({ state: 'detached', timeout: WAIT_MS });
  });
});
