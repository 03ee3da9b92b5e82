// Quitting never loses the only live refresh token. With rotating refresh tokens, a refresh that is
// still running when the app quits has already made the IdP replace the refresh token: only the answer
// in flight holds the new one. The app process (a child, see fixtures/quit-during-refresh.ts) serves a
// token from the cache past its refresh_on, which starts a background refresh; the IdP holds its
// answer back; the process is told to quit meanwhile. Started again on the same user data, the app
// must renew silently — with the old refresh token the IdP would refuse (reuse of a rotated token).
// Entra keeps older refresh tokens valid, which would hide the loss; the IdP runs with reuse
// detection on (`refreshTokenReuse: 'revoke'`) so a lost rotation fails this test.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { CLIENT_IDS, DEMO_PASSWORD, SCOPES, startDevIdp, type DevIdp } from '../../../idp/index.js';
import { PublicClientApplication } from '../../core/index.js';
import { createKeychainPersistence, createMemoryKeyStore } from '../../core/persistence/index.js';
import { DEFAULT_CONFIG } from '../config.js';
import { createAppController, KEYCHAIN_SERVICE } from '../create-controller.js';
import type { ShellPorts } from '../ports.js';

const HOUR_MS = 3_600_000;
let idp: DevIdp;
const dirs: string[] = [];

before(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'quit-refresh-idp-'));
  dirs.push(dataDir);
  // 2 h access tokens get refresh_in = 1 h (as Entra); ID tokens outlive the clock the child runs ahead.
  idp = await startDevIdp({ port: 0, dataDir, tokenLifetimes: { accessToken: 2 * 3600, idToken: 4 * 3600 }, refreshTokenReuse: 'revoke' });
});
after(async () => {
  await idp?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const noWindowPorts = (userDataDir: string): ShellPorts => ({
  userDataDir,
  openLoginWindow: () => assert.fail('silent renewal must not open a sign-in window'),
  clearLoginSession: async () => {},
  writeClipboard: async () => {},
  openExternal: async () => {},
});

test('quitting during a background refresh keeps the rotated refresh token', { timeout: 60_000 }, async () => {
  const userDataDir = await mkdtemp(join(tmpdir(), 'quit-refresh-app-'));
  dirs.push(userDataDir);
  // Alice signs in once (password grant: the test's shortcut to a cached account), into the app's cache file.
  const key = randomBytes(32).toString('base64');
  const persistence = createKeychainPersistence({ cachePath: join(userDataDir, 'token-cache.bin'), serviceName: KEYCHAIN_SERVICE, keyStore: createMemoryKeyStore(key) });
  const first = await PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    cache: { persistence },
    system: { trustedCaPem: idp.caCertPem },
  });
  const signedIn = await first.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD });
  const homeAccountId = signedIn.account!.homeAccountId;
  const caFile = join(userDataDir, 'idp-ca.pem');
  await writeFile(caFile, idp.caCertPem);

  idp.controls.resetCounts();
  idp.controls.delayTokenResponses(2_000);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'fixtures', 'quit-during-refresh.ts'), userDataDir, idp.url, caFile, homeAccountId, String(HOUR_MS + 60_000)],
    { env: { ...process.env, TEST_CACHE_KEY: key }, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const exited = once(child, 'exit');
  try {
    assert.equal((await lines.next()).value, 'served true', 'the child served the still-valid token from the cache');
    // Quit once the IdP has the refresh request (and so has rotated the token), before it answers.
    for (let i = 0; idp.controls.requestCount(/\/token$/) === 0; i++) {
      assert.ok(i < 200, 'the background refresh reached the IdP');
      await delay(50);
    }
    child.stdin!.write('quit\n');
    const [code] = await Promise.race([exited, delay(20_000).then(() => assert.fail('the app process did not end within 20 s'))]);
    assert.equal(code, 0);
  } finally {
    child.kill();
  }
  idp.controls.delayTokenResponses(0);

  // Started again on the same user data: the refresh token in the cache must be the live one.
  const again = await createAppController(noWindowPorts(userDataDir), {
    config: DEFAULT_CONFIG,
    keyStore: createMemoryKeyStore(key),
    localIdp: { url: idp.url, caCertPem: idp.caCertPem, authority: (t) => idp.authority(t), stop: async () => {} },
  });
  try {
    const renewed = await again.getToken({ homeAccountId, scopes: ['User.Read'], forceRefresh: true });
    assert.equal(renewed.fromCache, false);
    assert.equal(renewed.source, 'refresh');
  } finally {
    await again.dispose();
  }
});

test('drain is bounded: a refresh the IdP holds longer than the bound does not hold up quitting', { timeout: 30_000 }, async () => {
  const pca = await PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    system: { trustedCaPem: idp.caCertPem },
  });
  const { account } = await pca.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'bob', password: DEMO_PASSWORD });
  assert.equal(await pca.drain(1_000), true, 'nothing running: drained at once');
  idp.controls.delayTokenResponses(3_000);
  try {
    const refreshing = pca.acquireTokenSilent({ account: account!, scopes: [SCOPES.userRead], forceRefresh: true });
    assert.equal(await pca.drain(200), false, 'gave up after the bound');
    assert.equal((await refreshing).source, 'refresh');
    assert.equal(await pca.drain(1_000), true);
  } finally {
    idp.controls.delayTokenResponses(0);
  }
});
