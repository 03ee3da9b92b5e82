// The real @azure/msal-node 7 against the local IdP, and sharing one encrypted token cache with the app's
// engine (issue 12): msal-node's device code grant (`grant_type=device_code`), its loopback listener
// (`http://localhost:<port>`, no path, response_mode=form_post), the short `scp` of custom APIs, and
// older refresh tokens that stay valid when a newer one was issued (two clients on one cache).
// Browser steps run in Debian Chromium. Alice only: she is a member of her home tenant.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  PublicClientApplication as MsalPublicClient,
  type AccountInfo as MsalAccount,
  type ICachePlugin,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
  type TokenCacheContext as MsalCacheContext,
} from '@azure/msal-node';
import { CLIENT_IDS, DEMO_PASSWORD, SCOPES, TENANTS, USERS, startDevIdp, type DevIdp } from '../../../idp/index.js';
import { launchTestBrowser, type TestBrowser } from '../../../testkit/chromium.js';
import { pinnedFetch } from '../../../testkit/pinned-fetch.js';
import { PublicClientApplication } from '../index.js';
import type { CachePersistence, TokenCacheContext } from '../cache/persistence.js';
import { createKeychainPersistence, createMemoryKeyStore } from '../persistence/index.js';

const ALICE_HOME_ACCOUNT_ID = `${USERS.alice.homeOid}.${TENANTS.contoso.id}`;
const STEP_TIMEOUT = 20_000;

let idp: DevIdp;
let browser: TestBrowser;
let dir: string;
let cachePath: string;
const cacheKey = randomBytes(32).toString('base64');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msal-node-interop-'));
  idp = await startDevIdp({ port: 0, dataDir: join(dir, 'idp') });
  idp.controls.setDeviceFlow({ interval: 1 });
  browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
  cachePath = join(dir, 'app', 'token-cache.bin');
});
after(async () => {
  await browser?.close();
  await idp?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The app's encrypted cache file (AES-GCM, key from a key store): the one file both clients share. */
const sharedPersistence = () => createKeychainPersistence({ cachePath, serviceName: 'msal-node-interop', keyStore: createMemoryKeyStore(cacheKey) });

/**
 * msal-node's cache plugin over our persistence. msal-node hands the same context to before and after,
 * and knows up front whether the access writes (`cacheHasChanged`), which is our `willWrite`.
 */
function msalCachePlugin(persistence: CachePersistence): ICachePlugin {
  const ours = new WeakMap<MsalCacheContext, TokenCacheContext>();
  return {
    async beforeCacheAccess(ctx) {
      const context: TokenCacheContext = { tokenCache: ctx.tokenCache, willWrite: ctx.cacheHasChanged, cacheHasChanged: false };
      ours.set(ctx, context);
      await persistence.beforeCacheAccess(context);
    },
    async afterCacheAccess(ctx) {
      const context = ours.get(ctx);
      if (!context) return;
      context.cacheHasChanged = ctx.cacheHasChanged;
      await persistence.afterCacheAccess(context);
    },
  };
}

/** msal-node's documented `system.networkClient` seam, trusting exactly the IdP's certificate. */
function pinnedNetworkClient(caPem: string): INetworkModule {
  const f = pinnedFetch(caPem);
  async function send<T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    const response = await f(url, { method, headers: options?.headers ?? {}, ...(method === 'POST' ? { body: options?.body ?? '' } : {}) });
    return { headers: Object.fromEntries(response.headers), body: (await response.json()) as T, status: response.status };
  }
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

function msalNode(cachePlugin?: ICachePlugin): MsalPublicClient {
  return new MsalPublicClient({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), knownAuthorities: [new URL(idp.url).host] },
    ...(cachePlugin ? { cache: { cachePlugin } } : {}),
    system: { networkClient: pinnedNetworkClient(idp.caCertPem) },
  });
}

const engine = () =>
  PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso') },
    cache: { persistence: sharedPersistence() },
    system: { trustedCaPem: idp.caCertPem },
  });

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

/**
 * Fill in whatever the IdP shows — login form, consent — until `done()`: the loopback listener got the
 * answer, or (device code) "You have signed in". Bounded: a flow going somewhere else fails the test.
 */
async function completeSignIn(page: Page, done: () => Promise<boolean>): Promise<void> {
  const wait = { timeout: STEP_TIMEOUT };
  for (let i = 0; i < 6; i++) {
    if (await done()) return;
    const user = page.getByLabel('Username or email');
    const accept = page.getByRole('button', { name: 'Accept' });
    const signedIn = page.getByRole('heading', { name: 'You have signed in' });
    await Promise.race([user.waitFor(wait), accept.waitFor(wait), signedIn.waitFor(wait), page.waitForURL((u) => u.protocol === 'http:', wait)]).catch(() => {});
    if (await done()) return;
    if (!(await user.isVisible()) && !(await accept.isVisible())) break; // an error page, or stuck
    if (await user.isVisible()) {
      await user.fill(USERS.alice.upn);
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await Promise.all([page.waitForEvent('framenavigated', wait).catch(() => {}), page.getByLabel('Password').press('Enter')]);
    } else if (await accept.isVisible()) {
      await Promise.all([page.waitForEvent('framenavigated', wait).catch(() => {}), accept.click()]);
    }
  }
  assert.ok(await done(), `the sign-in did not finish (the browser is at ${new URL(page.url()).pathname})`);
}

/** The device code's browser step, as a person does it: open the URL, type the code, sign in, consent. */
async function enterDeviceCode(verificationUri: string, userCode: string): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(verificationUri);
    await page.getByLabel('Code').fill(userCode);
    await page.getByLabel('Code').press('Enter');
    await page.getByRole('button', { name: 'Continue' }).click({ timeout: STEP_TIMEOUT });
    await completeSignIn(page, () => page.getByRole('heading', { name: 'You have signed in' }).isVisible());
  } finally {
    await page.close();
  }
}

let msal: MsalPublicClient;
let msalAccount: MsalAccount;

test('msal-node device code (grant_type=device_code): alice signs in in Chromium; tokens land in the shared encrypted cache', { timeout: 90_000 }, async () => {
  msal = msalNode(msalCachePlugin(sharedPersistence()));
  let browserStep: Promise<void> | undefined;
  const result = await msal.acquireTokenByDeviceCode({
    scopes: [SCOPES.userRead],
    timeout: 60,
    deviceCodeCallback: (code) => {
      browserStep = enterDeviceCode(code.verificationUri, code.userCode);
    },
  });
  await browserStep;
  assert.ok(result, 'msal-node got a token');
  assert.equal(result.account?.homeAccountId, ALICE_HOME_ACCOUNT_ID);
  assert.equal(result.tenantId, TENANTS.contoso.id);
  assert.ok(result.scopes.includes(SCOPES.userRead), result.scopes.join(' '));
  assert.equal(claimsOf(result.accessToken).scp, 'User.Read');
  msalAccount = result.account!;
});

test('msal-node interactive: its loopback listener (http://localhost:<port>, form_post) gets the code; custom API scp is short', { timeout: 90_000 }, async () => {
  let reachedLoopback = '';
  const result = await msal.acquireTokenInteractive({
    scopes: [SCOPES.sampleApi],
    loginHint: USERS.alice.upn,
    openBrowser: async (url) => {
      const page = await browser.newPage();
      try {
        const redirect = new URL(new URL(url).searchParams.get('redirect_uri') ?? '');
        assert.deepEqual([redirect.hostname, redirect.pathname, new URL(url).searchParams.get('response_mode')], ['localhost', '/', 'form_post']);
        const onLoopback = async () => new URL(page.url()).origin === redirect.origin;
        await page.goto(url);
        await completeSignIn(page, onLoopback);
        reachedLoopback = new URL(page.url()).origin;
      } finally {
        await page.close();
      }
    },
  });
  assert.match(reachedLoopback, /^http:\/\/localhost:\d+$/);
  assert.equal(result.account?.homeAccountId, ALICE_HOME_ACCOUNT_ID);
  assert.ok(result.scopes.includes(SCOPES.sampleApi), `the token response's scope is in the full form: ${result.scopes.join(' ')}`);
  const claims = claimsOf(result.accessToken);
  assert.equal(claims.aud, 'api://sample-api');
  assert.equal(claims.scp, 'access_as_user', 'Entra writes custom API scopes without the API prefix');
});

test("the app's engine reads msal-node's cache file and is served silently: no request reaches the IdP", async () => {
  const fromMsal = JSON.parse(await msal.getTokenCache().serialize()) as { AccessToken: Record<string, { secret: string }> };
  const app = await engine();
  const [account, ...others] = await app.getAllAccounts();
  assert.equal(others.length, 0);
  assert.equal(account?.homeAccountId, ALICE_HOME_ACCOUNT_ID);
  idp.controls.resetCounts();
  const graph = await app.acquireTokenSilent({ account: account!, scopes: [SCOPES.userRead] });
  const api = await app.acquireTokenSilent({ account: account!, scopes: [SCOPES.sampleApi] });
  assert.deepEqual([graph.source, api.source], ['cache', 'cache']);
  const secrets = Object.values(fromMsal.AccessToken).map((t) => t.secret);
  assert.ok(secrets.includes(graph.accessToken) && secrets.includes(api.accessToken), "msal-node's access tokens");
  assert.equal(idp.controls.requestCount(), 0);
});

test("the engine refreshes (a new refresh token in the file); msal-node reads the engine's tokens silently", async () => {
  const app = await engine();
  const [account] = await app.getAllAccounts();
  const refreshed = await app.acquireTokenSilent({ account: account!, scopes: [SCOPES.userRead], forceRefresh: true });
  assert.equal(refreshed.source, 'refresh');

  idp.controls.resetCounts();
  const silent = await msal.acquireTokenSilent({ account: msalAccount, scopes: [SCOPES.userRead] });
  assert.equal(silent.fromCache, true);
  assert.equal(silent.accessToken, refreshed.accessToken, "the engine's token, read from the shared file");
  assert.equal(idp.controls.requestCount('/token'), 0);

  // A fresh msal-node process on the same file: the engine's account and tokens.
  const another = msalNode(msalCachePlugin(sharedPersistence()));
  const [theirs] = await another.getAllAccounts();
  assert.equal(theirs?.homeAccountId, ALICE_HOME_ACCOUNT_ID);
  const again = await another.acquireTokenSilent({ account: theirs!, scopes: [SCOPES.sampleApi] });
  assert.equal(again.fromCache, true);
  assert.equal(idp.controls.requestCount('/token'), 0);
});

test('an older refresh token still works after a newer one was issued, and redeeming it revokes nothing (as Entra)', async () => {
  // A client that read the cache before the other one refreshed holds the older refresh token.
  const older = await msal.getTokenCache().serialize();
  const app = await engine();
  const [account] = await app.getAllAccounts();
  assert.equal((await app.acquireTokenSilent({ account: account!, scopes: [SCOPES.userRead], forceRefresh: true })).source, 'refresh');

  const stale = msalNode();
  await stale.getTokenCache().deserialize(older);
  const [staleAccount] = await stale.getAllAccounts();
  const fromOlder = await stale.acquireTokenSilent({ account: staleAccount!, scopes: [SCOPES.userRead], forceRefresh: true });
  assert.equal(fromOlder.fromCache, false);
  // The grant survived: the engine's (newer) refresh token and the one just issued to msal-node both work.
  assert.equal((await app.acquireTokenSilent({ account: account!, scopes: [SCOPES.sampleApi], forceRefresh: true })).source, 'refresh');
  assert.equal((await stale.acquireTokenSilent({ account: staleAccount!, scopes: [SCOPES.userRead], forceRefresh: true })).fromCache, false);
});
