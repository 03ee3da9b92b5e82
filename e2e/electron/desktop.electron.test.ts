// The same scenarios as e2e/desktop.test.ts, in the real Electron app through Playwright's `_electron`.
// Our machines have no Electron binary (see README), so here every test is reported as SKIPPED with the
// reason — never as passed. Where a binary exists (ELECTRON_PATH, ELECTRON_OVERRIDE_DIST_PATH, or
// `npx install-electron`), they run against the built app (`npm run build` first).
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { findElectronBinary } from '../../scripts/electron-binary.js';

const binary = findElectronBinary();
const skip = binary ? false : 'no Electron binary on this machine (set ELECTRON_PATH or run `npx install-electron`); the browser e2e covers the same scenarios';
const root = resolve(import.meta.dirname, '..', '..');
const PASSWORD = 'Passw0rd!';

let userDataDir: string;
let app: ElectronApplication;
let window: Page;

async function launch(): Promise<void> {
  app = await electron.launch({
    executablePath: binary!,
    args: [root, `--user-data-dir=${userDataDir}`],
    env: { ...process.env, IDP_PORT: '0' },
  });
  window = await app.firstWindow();
}

async function signInAs(username: string): Promise<void> {
  const login = await app.waitForEvent('window');
  await login.getByLabel('Username or email').fill(username);
  await login.getByLabel('Password').fill(PASSWORD);
  await login.getByLabel('Password').press('Enter');
  await Promise.race([login.getByRole('button', { name: 'Accept' }).click().catch(() => {}), login.waitForEvent('close')]);
}

const accountRow = (username: string) => window.getByRole('region', { name: 'Accounts' }).getByRole('listitem').filter({ hasText: username });

describe('the Electron app', { timeout: 300_000 }, () => {
  before(async () => {
    if (skip) return;
    userDataDir = await mkdtemp(join(tmpdir(), 'electron-e2e-'));
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
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signInAs('alice');
    await accountRow('alice').waitFor();
  });

  test('closing the login window cancels the sign-in', { skip }, async () => {
    await window.getByRole('button', { name: 'Add account', exact: true }).click();
    const login = await app.waitForEvent('window');
    await login.close();
    await window.getByText(/cancelled/i).first().waitFor({ timeout: 2_000 });
  });

  test('after a restart the account is signed in silently', { skip }, async () => {
    await app.close();
    await launch();
    await accountRow('alice').waitFor();
  });

  test('a second account, switch, remove', { skip }, async () => {
    await window.getByRole('button', { name: 'Add account', exact: true }).click();
    await signInAs('bob');
    await accountRow('bob').waitFor();
    await window.getByRole('button', { name: /^Switch to alice/ }).click();
    await window.getByRole('heading', { name: /^Token for Alice/ }).waitFor();
    await accountRow('bob').getByRole('button', { name: /^Remove bob/ }).click();
    await accountRow('bob').getByRole('button', { name: 'Remove', exact: true }).click();
    await accountRow('bob').waitFor({ state: 'detached' });
  });
});

