// Sign-out that ends the IdP session (RP-Initiated Logout 1.0), against the local IdP in Chromium:
// the end-session URL carries the account's ID token as id_token_hint (read before the account is
// removed; the IdP validates it), and with endSession a loopback post_logout_redirect_uri + state that
// the engine waits for. Afterwards the browser's IdP session is gone: prompt=none needs a sign-in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDevIdp, CLIENT_IDS, SCOPES, DEMO_PASSWORD, USERS, type DevIdp } from '../../../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../../../testkit/chromium.js';
import { PublicClientApplication, InteractionRequiredAuthError, TimeoutError } from '../index.js';
import { openLoopbacks } from '../flows/loopback.js';

let idp: DevIdp;
let dataDir: string;
let browser: TestBrowser;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'end-session-'));
  idp = await startDevIdp({ port: 0, dataDir });
  browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
});
after(async () => {
  await browser?.close();
  await idp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const app = () => PublicClientApplication.create({ auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso') }, system: { trustedCaPem: idp.caCertPem } });
const wait = { timeout: 15_000 };

/** openBrowser that signs `user` in (login form, consent if asked) in a page of the shared browser context. */
const signInAs = (user: string, pages: Page[]) => async (url: string) => {
  const page = await browser.newPage();
  pages.push(page);
  await page.goto(url);
  const onLoopback = () => new URL(page.url()).hostname === '127.0.0.1';
  for (let i = 0; i < 4 && !onLoopback(); i++) {
    const username = page.getByLabel('Username or email');
    const accept = page.getByRole('button', { name: 'Accept' });
    await Promise.race([username.waitFor(wait), accept.waitFor(wait), page.waitForURL(() => onLoopback(), wait)]).catch(() => {});
    if (onLoopback()) return;
    if (await username.isVisible()) {
      await username.fill(user);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await Promise.all([page.waitForEvent('framenavigated', wait).catch(() => {}), page.getByLabel('Password').press('Enter')]);
    } else if (await accept.isVisible()) {
      await Promise.all([page.waitForEvent('framenavigated', wait).catch(() => {}), accept.click()]);
    }
  }
};

/** openBrowser that only loads the URL: whatever the IdP does without any user input. */
const loadOnly = (pages: Page[]) => async (url: string) => {
  const page = await browser.newPage();
  pages.push(page);
  await page.goto(url).catch(() => {});
};

test('endSession: id_token_hint + loopback post_logout_redirect_uri; the IdP session ends, prompt=none then needs a sign-in', async () => {
  const pages: Page[] = [];
  try {
    const pca = await app();
    const signIn = await pca.acquireTokenInteractive({ scopes: [SCOPES.userRead], openBrowser: signInAs('alice', pages) });
    // The browser holds an IdP session: prompt=none signs in again with no page shown.
    const sso = await pca.acquireTokenInteractive({ scopes: [SCOPES.userRead], prompt: 'none', openBrowser: loadOnly(pages), timeoutMs: 30_000 });
    assert.equal(sso.account?.homeAccountId, signIn.account?.homeAccountId);

    let opened: URL | undefined;
    const ended = await pca.endSession({
      account: sso.account!,
      timeoutMs: 60_000,
      openBrowser: async (url) => {
        opened = new URL(url);
        const page = await browser.newPage();
        pages.push(page);
        await page.goto(url);
        await page.getByRole('button', { name: 'Sign out', exact: true }).click(wait); // the IdP asks to confirm
      },
    });
    assert.equal(ended.redirected, true);
    assert.equal(opened?.searchParams.get('id_token_hint'), sso.idToken, 'the ID token of the account, read before it was removed');
    assert.equal(opened?.searchParams.get('client_id'), CLIENT_IDS.desktop);
    assert.equal(opened?.searchParams.get('logout_hint'), USERS.alice.upn);
    assert.match(opened?.searchParams.get('post_logout_redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.ok((opened?.searchParams.get('state') ?? '').length >= 20, 'a fresh state');
    assert.equal(ended.endSessionUrl, opened?.href);
    assert.deepEqual(await pca.getAllAccounts(), [], 'the local sign-out happened too');
    assert.equal(openLoopbacks.size, 0, 'the listener is closed');

    // Same browser, same cookies: without the IdP session, prompt=none cannot sign anyone in.
    const err = await pca.acquireTokenInteractive({ scopes: [SCOPES.userRead], prompt: 'none', openBrowser: loadOnly(pages), timeoutMs: 30_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof InteractionRequiredAuthError, String(err));
    assert.equal(err.code, 'login_required');
  } finally {
    for (const p of pages) await p.close().catch(() => {});
  }
});

test('signOut alone: the URL has the ID token hint; nothing is opened and the account is gone', async () => {
  const pages: Page[] = [];
  try {
    const pca = await app();
    const signIn = await pca.acquireTokenInteractive({ scopes: [SCOPES.userRead], prompt: 'login', openBrowser: signInAs('bob', pages) });
    const { endSessionUrl } = await pca.signOut(signIn.account!);
    const url = new URL(endSessionUrl!);
    assert.equal(url.searchParams.get('id_token_hint'), signIn.idToken);
    assert.equal(url.searchParams.get('post_logout_redirect_uri'), null, 'none unless asked for');
    assert.deepEqual(await pca.getAllAccounts(), []);
  } finally {
    for (const p of pages) await p.close().catch(() => {});
  }
});

test('endSession that never comes back: TimeoutError, the listener is closed, the local sign-out stands', async () => {
  const pages: Page[] = [];
  try {
    const pca = await app();
    const signIn = await pca.acquireTokenInteractive({ scopes: [SCOPES.userRead], prompt: 'login', openBrowser: signInAs('alice', pages) });
    const err = await pca.endSession({ account: signIn.account!, timeoutMs: 1_000, openBrowser: () => {} }).catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(openLoopbacks.size, 0);
    assert.deepEqual(await pca.getAllAccounts(), []);
  } finally {
    for (const p of pages) await p.close().catch(() => {});
  }
});
