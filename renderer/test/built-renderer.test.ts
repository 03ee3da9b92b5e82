// The production build of the renderer in real Chromium, under its own CSP, driven through the browser
// bridge and the IPC router exactly as the browser e2e tests will be. Catches what jsdom cannot: a CSP
// violation (inline script, a QR image the policy refuses), a module that fails to load from the
// built HTML, or a bridge that does not match the contract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';
import { launchTestBrowser, chromiumPath } from '../../testkit/chromium.js';
import { createBrowserBridge } from '../../electron/main/browser-bridge.js';
import { createIpcRouter } from '../../electron/main/ipc-router.js';
import { isTrustedSender } from '../../electron/main/sender-policy.js';
import { toErrorView } from '../../shared/error-messages.js';
import type { Handlers } from '../../shared/ipc-contract.js';
import { alice, appState, bob, tokenRow, tokenTable, tokenView } from './fixtures.js';

function chromiumMissing(): string | false {
  try {
    chromiumPath();
    return false;
  } catch (error) {
    return (error as Error).message;
  }
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

test('the built renderer runs under its CSP in Chromium, through the bridge and router', { skip: chromiumMissing(), timeout: 120_000 }, async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'renderer-build-'));
  const server = createServer(async (req, res) => {
    const path = normalize(join(outDir, new URL(req.url ?? '/', 'http://x').pathname.replace(/\/$/, '/index.html')));
    if (!path.startsWith(outDir) || !existsSync(path)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' }).end(await readFile(path));
  });
  const browser = await launchTestBrowser();
  try {
    await build({ configFile: join(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    let state = appState({
      accounts: [alice, bob],
      activeAccountId: alice.homeAccountId,
      signIn: { inProgress: true, flow: 'device-code' },
      deviceCode: { userCode: 'WDJB-MJHT', verificationUri: 'https://localhost:8443/device', expiresOn: Date.now() + 900_000, message: 'Enter the code.' },
    });
    const switched: string[] = [];
    const handlers: Handlers = {
      getState: async () => state,
      signIn: async () => Promise.reject(new Error('not in this test')),
      cancelSignIn: async () => ({ cancelled: true }),
      openVerificationUri: async () => ({ opened: true }),
      getToken: async (r) => tokenView({ homeAccountId: r.homeAccountId, expiresOn: Date.now() + 3600_000, refreshOn: undefined, acquiredOn: Date.now() }),
      listTokens: async (r) => tokenTable([tokenRow({ cachedAt: Date.now(), expiresOn: Date.now() + 3600_000, refreshOn: undefined })], r.homeAccountId),
      switchAccount: async (r) => (switched.push(r.homeAccountId), (state = { ...state, activeAccountId: r.homeAccountId })),
      removeAccount: async () => state,
      signOutAll: async () => state,
      setIwaEnabled: async () => state,
      copyAccessToken: async () => ({ copied: true }),
      callSampleApi: async () => Promise.reject(new Error('not in this test')),
    };
    const router = createIpcRouter({
      handlers,
      isTrustedSender: (sender) => isTrustedSender(sender, { origins: [origin], fileUrls: [] }),
      describeError: () => toErrorView({ kind: 'internal', code: 'internal_error' }),
    });

    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    const bridge = createBrowserBridge({
      router,
      dispatch: (event, payload) => page.evaluate(([e, p]) => (window as unknown as { __authAppDispatch(e: string, p: unknown): void }).__authAppDispatch(e, p), [event, payload] as const),
    });
    await page.exposeBinding(bridge.bindingName, (source, method: unknown, request: unknown) =>
      bridge.invoke({ url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, method, request),
    );
    await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
    await page.addInitScript(bridge.initScript);
    await page.setViewportSize({ width: 800, height: 600 });
    await page.goto(`${origin}/`);

    await page.getByText('WDJB-MJHT').waitFor();
    await page.getByRole('img', { name: /QR code for https:\/\/localhost:8443\/device/ }).waitFor();
    await page.getByRole('list', { name: 'Cached access tokens' }).getByRole('heading', { name: 'Graph-like API (Mail.Read)' }).waitFor();

    // The device code flow ends: the panel goes, and account actions (disabled while signing in) return.
    bridge.publish('deviceCode', null);
    bridge.publish('signInProgress', { inProgress: false });
    await page.getByText('WDJB-MJHT').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Switch to bob@fabrikam.example' }).click();
    await page.getByRole('heading', { name: 'Tokens for Bob Jones' }).waitFor();
    assert.deepEqual(switched, [bob.homeAccountId]);

    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.match(csp ?? '', /default-src 'self'/);
    assert.equal(await page.locator('script:not([src])').count(), 0, 'no inline script in the built HTML');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    server.close();
    await rm(outDir, { recursive: true, force: true });
  }
});
