// The built renderer driven by fixed handlers (through the same bridge and IPC router as the real
// app), for layouts the local IdP cannot produce cheaply: a dozen signed-in accounts.
import type { Page } from 'playwright-core';
import { createBrowserBridge } from '../../electron/main/browser-bridge.js';
import { createIpcRouter } from '../../electron/main/ipc-router.js';
import { isTrustedSender } from '../../electron/main/sender-policy.js';
import { toErrorView } from '../../shared/error-messages.js';
import type { Handlers } from '../../shared/ipc-contract.js';
import type { AccountView, AppState, TokenTableView } from '../../shared/views.js';
import type { TestBrowser } from '../../testkit/chromium.js';

const TENANT = '3c1b5a9e-2f4d-4c8a-9b6e-0d7f1a2b3c4d';
const GUEST_HOME = '8e2d4f6a-1b3c-4d5e-8f9a-0b1c2d3e4f5a';

export function manyAccounts(count: number): AccountView[] {
  return Array.from({ length: count }, (_, i) => {
    const guest = i % 4 === 3;
    const long = i === 5;
    const name = long ? 'Maximilian Alexander Featherstonehaugh-Wolfeschlegelsteinhausen' : `Person ${String(i + 1).padStart(2, '0')}`;
    return {
      homeAccountId: `oid-${i}.${guest ? GUEST_HOME : TENANT}`,
      name,
      username: long ? 'maximilian.featherstonehaugh-wolfeschlegelsteinhausen@contoso.example' : `person${i + 1}@${guest ? 'fabrikam' : 'contoso'}.example`,
      tenantId: TENANT,
      homeTenantId: guest ? GUEST_HOME : TENANT,
      isGuest: guest,
      initials: long ? 'MF' : `P${(i + 1) % 10}`,
      tenantName: 'Contoso',
      ...(guest ? { homeTenantName: 'Fabrikam' } : { homeTenantName: 'Contoso' }),
    };
  });
}

export async function openStaticApp(browser: TestBrowser, origin: string, options: { accounts: AccountView[]; activeIndex: number }): Promise<Page> {
  const now = Date.now();
  const active = options.accounts[options.activeIndex]!;
  const state: AppState = {
    accounts: options.accounts,
    activeAccountId: active.homeAccountId,
    persistence: { state: 'encrypted', warnings: [] },
    config: {
      authority: 'https://localhost:5443/contoso/v2.0',
      clientId: 'desktop-sample',
      protocolMode: 'entra',
      signInScopes: ['User.Read'],
      apis: [
        { id: 'graph', label: 'Graph-like API', scopes: ['User.Read'] },
        { id: 'sample-api', label: 'Sample API', scopes: ['api://sample-api/access_as_user'] },
      ],
      iwaEnabled: false,
      deviceCodeEnabled: true,
      usesLocalIdp: true,
      sampleApiUrl: 'http://127.0.0.1:1',
    },
    signIn: { inProgress: false },
    deviceCode: null,
  };
  const table = (homeAccountId: string): TokenTableView => ({
    homeAccountId,
    tokens: [
      { id: 'a', resource: 'Microsoft Graph', apiId: 'graph', apiLabel: 'Graph-like API', requestedScopes: ['User.Read'], grantedScopes: ['User.Read', 'openid', 'profile'], requestScopes: ['User.Read'], realm: TENANT, cachedAt: now, expiresOn: now + 3600_000, refreshOn: now + 1800_000, source: 'interactive', callable: false },
      { id: 'b', resource: 'api://sample-api', apiId: 'sample-api', apiLabel: 'Sample API', requestedScopes: ['api://sample-api/access_as_user'], grantedScopes: ['api://sample-api/access_as_user'], requestScopes: ['api://sample-api/access_as_user'], realm: TENANT, cachedAt: now, expiresOn: now + 3000_000, source: 'refresh', callable: true },
    ],
    refreshToken: { present: true, clientId: 'desktop-sample', issuedOn: now },
  });
  const refuse = async (): Promise<never> => Promise.reject(new Error('not in this view'));
  const handlers: Handlers = {
    getState: async () => state,
    signIn: refuse,
    cancelSignIn: async () => ({ cancelled: false }),
    openVerificationUri: async () => ({ opened: false }),
    getToken: async (r) => ({
      homeAccountId: r.homeAccountId, requestedScopes: r.scopes, grantedScopes: r.scopes, expiresOn: now + 3600_000, acquiredOn: now,
      source: 'cache', fromCache: true, idTokenClaims: { name: active.name }, accessTokenMasked: 'eyJ0…k3Qw (1234 chars)',
    }),
    listTokens: async (r) => table(r.homeAccountId),
    switchAccount: async () => state,
    removeAccount: async () => state,
    signOutAll: async () => state,
    setIwaEnabled: async () => state,
    copyAccessToken: async () => ({ copied: true }),
    callSampleApi: refuse,
  };
  const router = createIpcRouter({
    handlers,
    isTrustedSender: (sender) => isTrustedSender(sender, { origins: [origin], fileUrls: [] }),
    describeError: () => toErrorView({ kind: 'internal', code: 'internal_error' }),
  });
  const page = await browser.newPage();
  const bridge = createBrowserBridge({
    router,
    dispatch: (event, payload) => page.evaluate(([e, p]) => (globalThis as unknown as { __authAppDispatch(e: string, p: unknown): void }).__authAppDispatch(e, p), [event, payload] as const),
  });
  await page.exposeBinding(bridge.bindingName, (source, method: unknown, request: unknown) =>
    bridge.invoke({ url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, method, request),
  );
  await page.addInitScript(bridge.initScript);
  return page;
}
