// The controller's sign-in chain with IWA switched on, against the real engine, the local IdP accepting
// Negotiate and a real KDC: with a ticket IWA signs in and no window opens; without one, IWA fails
// quietly and the chain goes on to the login window (a Playwright page where "the user" types a password).
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CLIENT_IDS, DEMO_PASSWORD, SCOPES, startDevIdp, USERS, type DevIdp } from '../../../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../../../testkit/chromium.js';
import { startKdc, type Kdc } from '../../../testkit/kdc.js';
import { PublicClientApplication } from '../../core/index.js';
import { createMemoryKeyStore } from '../../core/persistence/index.js';
import { finishLogin } from '../../core/test/helpers.js';
import type { AppEvent, ShellPorts } from '../ports.js';
import { DEFAULT_CONFIG } from '../config.js';
import { createAppController } from '../create-controller.js';
import type { DesktopAppController } from '../controller.js';

let kdc: Kdc;
let idp: DevIdp;
let browser: TestBrowser;
const dirs: string[] = [];
const saved = { ...process.env };

before(async () => {
  kdc = await startKdc({ users: { alice: 'alice-kerberos-pw' } });
  Object.assign(process.env, kdc.env);
  const dataDir = await mkdtemp(join(tmpdir(), 'iwa-app-idp-'));
  dirs.push(dataDir);
  idp = await startDevIdp({ port: 0, dataDir, kerberos: {} });
  // Consent exists (IWA cannot give it: it stops at the consent page).
  const consenting = await PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    system: { trustedCaPem: idp.caCertPem },
  });
  await consenting.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD });
  // No --auth-server-allowlist: this browser never answers Negotiate, like a window without SSO.
  browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
});
after(async () => {
  await browser?.close();
  await idp?.stop();
  await kdc?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  process.env = saved;
});

/** Shell ports whose login window is a Playwright page on which alice types her password. */
async function appWithWindow(iwaEnabled = true): Promise<{ controller: DesktopAppController; windowsOpened: string[]; events: AppEvent[] }> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'iwa-app-'));
  dirs.push(userDataDir);
  const windowsOpened: string[] = [];
  const ports: ShellPorts = {
    userDataDir,
    openLoginWindow(request) {
      windowsOpened.push(request.url);
      let page: Page | undefined;
      void browser
        .newPage()
        .then(async (p) => {
          page = p;
          await p.goto(request.url);
          await finishLogin(p, 'alice', DEMO_PASSWORD);
        })
        // The app closes its window as soon as the redirect arrives, often while the page is still
        // settling; what the user did in it is judged by the sign-in result, not by this promise.
        .catch(() => {});
      return { close: () => void page?.close().catch(() => {}) };
    },
    clearLoginSession: async () => {},
    writeClipboard: async () => {},
    openExternal: async () => {},
  };
  const controller = await createAppController(ports, {
    config: { ...DEFAULT_CONFIG, iwa: { enabled: iwaEnabled } },
    keyStore: createMemoryKeyStore(),
    localIdp: idp,
  });
  const events: AppEvent[] = [];
  controller.subscribe((e) => events.push(e));
  return { controller, windowsOpened, events };
}

const activity = (events: AppEvent[]) =>
  events.flatMap((e) => (e.name === 'activity' ? [{ flow: e.payload.flow, outcome: e.payload.outcome, errorCode: e.payload.errorCode }] : []));

test('with a Kerberos ticket, sign-in is IWA: no window opens', async () => {
  process.env.KRB5CCNAME = kdc.kinit('alice', 'alice-kerberos-pw');
  const { controller, windowsOpened, events } = await appWithWindow();
  try {
    const { account, token } = await controller.signIn({ scopes: [SCOPES.userRead] });
    assert.equal(account.username, USERS.alice.upn);
    assert.equal(token.source, 'iwa');
    assert.deepEqual(windowsOpened, []);
    assert.deepEqual(activity(events), [{ flow: 'iwa', outcome: 'success', errorCode: undefined }]);
  } finally {
    await controller.dispose();
  }
});

test('without a ticket, IWA fails quietly and the login window signs alice in', async () => {
  process.env.KRB5CCNAME = kdc.emptyCredentialCache();
  const { controller, windowsOpened, events } = await appWithWindow();
  try {
    const { account, token } = await controller.signIn({ scopes: [SCOPES.userRead] });
    assert.equal(account.username, USERS.alice.upn);
    assert.equal(token.source, 'interactive');
    assert.equal(windowsOpened.length, 1);
    assert.deepEqual(activity(events), [
      { flow: 'iwa', outcome: 'failure', errorCode: 'kerberos_no_ticket' },
      { flow: 'window', outcome: 'success', errorCode: undefined },
    ]);
  } finally {
    await controller.dispose();
  }
});

test('IWA off in the configuration, switched on from the sign-in menu: the next sign-in is IWA', async () => {
  process.env.KRB5CCNAME = kdc.kinit('alice', 'alice-kerberos-pw');
  const { controller, windowsOpened } = await appWithWindow(false);
  try {
    assert.equal((await controller.getState()).config.iwaEnabled, false);
    const state = await controller.setIwaEnabled({ enabled: true });
    assert.equal(state.config.iwaEnabled, true);
    const { token } = await controller.signIn({ scopes: [SCOPES.userRead] });
    assert.equal(token.source, 'iwa');
    assert.deepEqual(windowsOpened, []);
  } finally {
    await controller.dispose();
  }
});
