// Single sign-on in the login window: Chromium's own Negotiate (GSSAPI, reading KRB5CCNAME and
// KRB5_CONFIG from its environment) answers the IdP's challenge, so the interactive flow ends at the
// loopback redirect without the password form.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CLIENT_IDS, DEMO_PASSWORD, SCOPES, startDevIdp, USERS, type DevIdp } from '../../../../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../../../../testkit/chromium.js';
import { startKdc, type Kdc } from '../../../../testkit/kdc.js';
import { PublicClientApplication } from '../../index.js';
import { negotiateAllowlist } from '../negotiate-allowlist.js';

let kdc: Kdc;
let idp: DevIdp;
let dataDir: string;
let browser: TestBrowser;
const saved = { ...process.env };

before(async () => {
  kdc = await startKdc({ users: { alice: 'alice-kerberos-pw' } });
  Object.assign(process.env, kdc.env); // the IdP's acceptor reads KRB5_KTNAME from this process
  dataDir = await mkdtemp(join(tmpdir(), 'iwa-chromium-idp-'));
  idp = await startDevIdp({ port: 0, dataDir, kerberos: {} });
  const ccache = kdc.kinit('alice', 'alice-kerberos-pw');
  browser = await launchTestBrowser({
    trustedCertPem: idp.caCertPem,
    // What the Electron shell does for the login window's session (see ../README.md).
    extraArgs: [`--auth-server-allowlist=${negotiateAllowlist([idp.authority('contoso')])}`],
    env: { ...process.env, KRB5CCNAME: ccache, KRB5_CONFIG: kdc.env.KRB5_CONFIG! },
  });
});
after(async () => {
  await browser?.close();
  await idp?.stop();
  await kdc?.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.env = saved;
});

/**
 * Chromium fails the first Negotiate challenge after each browser start: it loads the GSSAPI library
 * lazily, and the challenge that triggers the load goes unanswered (ERR_UNSUPPORTED_AUTH_SCHEME in its
 * net log; the page shows the 401's body, here the login form). The second navigation finds the library
 * loaded and answers. So: one retry, only when the challenge was left unanswered.
 */
async function gotoAnsweringNegotiate(page: Page, url: string): Promise<void> {
  const unanswered = (status: number | undefined, error?: unknown) =>
    status === 401 || /ERR_UNSUPPORTED_AUTH_SCHEME/.test(String(error ?? ''));
  const first = await page.goto(url).then(
    (response) => ({ status: response?.status(), error: undefined as unknown }),
    (error: unknown) => ({ status: undefined, error }),
  );
  if (unanswered(first.status, first.error)) await page.goto(url);
  else if (first.error) throw first.error;
}

test('Chromium with --auth-server-allowlist signs alice in with no password form', async () => {
  // Consent exists already (as after a first sign-in in the window); SSO does not skip consent.
  const consenting = await PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    system: { trustedCaPem: idp.caCertPem },
  });
  await consenting.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD });

  const app = await PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso') },
    system: { trustedCaPem: idp.caCertPem },
  });
  idp.controls.resetCounts();
  const page = await browser.newPage();
  // Status of every interaction (login step) page Chromium received.
  const interactionStatuses: number[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.includes('/interaction/')) interactionStatuses.push(r.status());
  });
  try {
    const result = await app.acquireTokenInteractive({
      scopes: [SCOPES.userRead],
      timeoutMs: 30_000,
      openBrowser: async (url) => {
        await gotoAnsweringNegotiate(page, url);
        await page.waitForURL((u) => u.hostname === '127.0.0.1', { timeout: 15_000 });
      },
    });
    assert.equal(result.account?.username, USERS.alice.upn);
    assert.equal(result.source, 'interactive');
  } finally {
    await page.close();
  }
  // At most the one challenge Chromium leaves unanswered after starting; then the ticket is accepted (303).
  assert.equal(interactionStatuses.at(-1), 303, interactionStatuses.join(','));
  assert.ok(interactionStatuses.filter((s) => s === 401).length <= 1, interactionStatuses.join(','));
  assert.equal(idp.controls.requestCount((r) => r.method === 'POST' && r.path.endsWith('/login')), 0);
});
