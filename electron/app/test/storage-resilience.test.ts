// Storage never stops the app (issue 11), through the real composition (createAppController): the real
// engine, the local IdP, the encrypted cache on disk and sign-in in a login window (a Playwright page).
//   - a user-data folder that cannot be written: sign-in succeeds, the state says nothing is saved
//   - 20 parallel account switches: all succeed, the file holds the final choice
//   - a lock file with a live pid and a future mtime: the app still starts, promptly
import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CLIENT_IDS, DEMO_PASSWORD, SCOPES, startDevIdp, USERS, type DevIdp } from '../../../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../../../testkit/chromium.js';
import { PublicClientApplication } from '../../core/index.js';
import { createMemoryKeyStore } from '../../core/persistence/index.js';
import { finishLogin } from '../../core/test/helpers.js';
import type { ShellPorts } from '../ports.js';
import { DEFAULT_CONFIG } from '../config.js';
import { createAppController } from '../create-controller.js';
import type { DesktopAppController } from '../controller.js';

let idp: DevIdp;
let browser: TestBrowser;
const dirs: string[] = [];

before(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'storage-app-idp-'));
  dirs.push(dataDir);
  idp = await startDevIdp({ port: 0, dataDir });
  // Consent exists, so the login window is just "type the password".
  const consenting = await PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    system: { trustedCaPem: idp.caCertPem },
  });
  for (const user of ['alice', 'bob']) await consenting.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: user, password: DEMO_PASSWORD });
  browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
});
after(async () => {
  await browser?.close();
  await idp?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** The app on `userDataDir`; its login window is a page where `user.login` types the password. */
async function app(userDataDir: string): Promise<{ controller: DesktopAppController; user: { login: string } }> {
  const user = { login: 'alice' };
  const ports: ShellPorts = {
    userDataDir,
    openLoginWindow(request) {
      let page: Page | undefined;
      void browser
        .newPage()
        .then(async (p) => {
          page = p;
          await p.goto(request.url);
          await finishLogin(p, user.login, DEMO_PASSWORD);
        })
        .catch(() => {}); // judged by the sign-in result (the app closes the window on the redirect)
      return { close: () => void page?.close().catch(() => {}) };
    },
    clearLoginSession: async () => {},
    writeClipboard: async () => {},
    openExternal: async () => {},
  };
  const controller = await createAppController(ports, { config: DEFAULT_CONFIG, keyStore: createMemoryKeyStore(), localIdp: idp });
  return { controller, user };
}

test('a user-data folder that cannot be written: sign-in succeeds and the state says nothing is saved', { timeout: 90_000 }, async () => {
  // A regular file where the folder's parent should be: every mkdir/open below it fails (ENOTDIR), even for root.
  const dir = await tempDir('storage-app-');
  await writeFile(join(dir, 'file'), '');
  const { controller } = await app(join(dir, 'file', 'userData'));
  try {
    const { account } = await controller.signIn({ scopes: [SCOPES.userRead], flow: 'window' });
    assert.equal(account.username, USERS.alice.upn);
    const state = await controller.getState();
    assert.equal(state.activeAccountId, account.homeAccountId);
    assert.deepEqual(state.accounts.map((a) => a.username), [USERS.alice.upn]);
    assert.equal(state.persistence.state, 'memory-only');
    assert.deepEqual(state.persistence.warnings.map((w) => w.code), ['cache_write_failed', 'active_account_write_failed']);
    // Switching is not an error either.
    assert.equal((await controller.switchAccount({ homeAccountId: account.homeAccountId })).activeAccountId, account.homeAccountId);
  } finally {
    await controller.dispose();
  }
});

test('20 parallel account switches all succeed and the file holds the final choice, 0600', { timeout: 120_000 }, async () => {
  const userDataDir = await tempDir('storage-app-');
  const { controller, user } = await app(userDataDir);
  try {
    const alice = (await controller.signIn({ scopes: [SCOPES.userRead], flow: 'window' })).account;
    user.login = 'bob';
    const bob = (await controller.signIn({ scopes: [SCOPES.userRead], flow: 'window' })).account;
    assert.equal(bob.username, USERS.bob.upn);
    const ids = Array.from({ length: 20 }, (_, i) => (i % 2 ? bob : alice).homeAccountId);
    const results = await Promise.allSettled(ids.map((homeAccountId) => controller.switchAccount({ homeAccountId })));
    const failed = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code ?? String(r.reason)] : []));
    assert.deepEqual(failed, []);
    const state = await controller.getState();
    const file = join(userDataDir, 'active-account.json');
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { homeAccountId: state.activeAccountId });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(userDataDir)).filter((n) => n.endsWith('.tmp')), []);
    assert.deepEqual(state.persistence.warnings, []);
  } finally {
    await controller.dispose();
  }
});

test('a cache lock with a live pid and a future mtime does not stop the app from starting', { timeout: 90_000 }, async () => {
  const userDataDir = await tempDir('storage-app-');
  const lock = join(userDataDir, 'token-cache.bin.lock');
  // Our parent (the test runner) is alive and is not this process, as another app instance would be.
  await writeFile(lock, JSON.stringify({ pid: process.ppid, host: hostname(), nonce: 'from-the-future' }));
  const future = new Date(Date.now() + 24 * 3_600_000);
  await utimes(lock, future, future);
  const started = Date.now();
  const { controller } = await app(userDataDir);
  try {
    const ms = Date.now() - started;
    assert.ok(ms < 20_000, `started in ${ms} ms (the old code waited for the 30 s lock timeout, then failed)`);
    const state = await controller.getState();
    assert.deepEqual([state.persistence.state, state.persistence.warnings], ['encrypted', []]);
  } finally {
    await controller.dispose();
  }
});
