// The desktop app with Chromium standing in for Electron: the built renderer in one page whose
// `window.authApp` reaches — through a Playwright binding, the same IPC router and sender check the
// Electron shell uses — the real app controller, engine, encrypted cache and local IdP. Login windows
// are further pages of the same browser; closing one is the user closing the window. They follow the
// same navigation policy and title rule as Electron's login window (electron/main/navigation-policy.ts).
import { mkdir } from 'node:fs/promises';
import type { Frame, Page } from 'playwright-core';
import { createAppController, type LocalIdp } from '../../electron/app/create-controller.js';
import type { AppConfig } from '../../electron/app/config.js';
import { resolveConfig } from '../../electron/app/config.js';
import type { DesktopAppController } from '../../electron/app/controller.js';
import { createBrowserBridge } from '../../electron/main/browser-bridge.js';
import type { LoginWindowRequest, ShellPorts } from '../../electron/app/ports.js';
import { createIpcRouter } from '../../electron/main/ipc-router.js';
import { decideLoginNavigation, loginWindowTitle, type FrameKind } from '../../electron/main/navigation-policy.js';
import { isTrustedSender } from '../../electron/main/sender-policy.js';
import type { TestBrowser } from '../../testkit/chromium.js';

export interface DesktopInBrowserOptions {
  browser: TestBrowser;
  rendererOrigin: string;
  idp: LocalIdp;
  userDataDir: string;
  config?: Partial<AppConfig>;
}

export interface DesktopInBrowser {
  page: Page;
  controller: DesktopAppController;
  /** Resolves with the next login window the app opens. */
  nextLoginWindow(): Promise<Page>;
  /** The title the login window shows (Electron sets it on every top-level navigation; pages have no chrome). */
  loginWindowTitle(login: Page): string | undefined;
  /** What the app put on the clipboard and opened externally. */
  clipboard: string[];
  opened: string[];
  /** Quit and start again on the same user data (cache file, keychain key, active account). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startDesktopInBrowser(options: DesktopInBrowserOptions): Promise<DesktopInBrowser> {
  await mkdir(options.userDataDir, { recursive: true });
  const clipboard: string[] = [];
  const opened: string[] = [];
  const loginWaiters: ((page: Page) => void)[] = [];
  const pendingLogins: Page[] = [];
  const loginTitles = new WeakMap<Page, string>();
  const { context } = options.browser;

  const ports: ShellPorts = {
    userDataDir: options.userDataDir,
    openLoginWindow(request: LoginWindowRequest) {
      // As app.ts: the first URL is not a navigation the page makes, so it is checked here.
      if (!decideLoginNavigation(request.url, request, 'main').allowed) throw new Error('login window: the sign-in URL is not https');
      let closedByApp = false;
      const pagePromise = context.newPage().then(async (page) => {
        page.once('close', () => closedByApp || request.onClosedByUser());
        // The same navigation policy the Electron login window enforces, through the nearest events
        // Chromium offers a page. A refused top-level navigation ends the sign-in, as in app.ts.
        const refused = (url: string, frame: FrameKind): boolean => {
          const decision = decideLoginNavigation(url, request, frame);
          if (decision.allowed) return false;
          if (frame === 'main') request.onNavigationBlocked?.(decision.blocked);
          return true;
        };
        const kindOf = (frame: Frame): FrameKind => (frame === page.mainFrame() ? 'main' : 'sub');
        // http(s) navigations of any frame (will-navigate / will-frame-navigate): a refused one is
        // aborted before it is sent.
        await page.route('**/*', (route) => {
          const r = route.request();
          return r.isNavigationRequest() && refused(r.url(), kindOf(r.frame())) ? route.abort('blockedbyclient') : route.fallback();
        });
        // Routing sees only the first request of a redirect chain: a hop (will-redirect) is checked as
        // it starts; a refused one ends the sign-in, which closes this page.
        page.on('request', (r) => {
          if (r.isNavigationRequest() && r.redirectedFrom()) refused(r.url(), kindOf(r.frame()));
        });
        // Other schemes (ms-outlook:, custom app schemes) never reach routing. frameRequestedNavigation
        // is the page asking to navigate, as will-navigate is; Chromium has no handler for them here and
        // stays on the page. (file:, data: and javascript: links Chromium refuses in the page itself,
        // in Electron too: no navigation starts.)
        const cdp = await context.newCDPSession(page);
        await cdp.send('Page.enable');
        const { frameTree } = await cdp.send('Page.getFrameTree');
        cdp.on('Page.frameRequestedNavigation', (e) => {
          if (!/^https?:/i.test(e.url)) refused(e.url, e.frameId === frameTree.frame.id ? 'main' : 'sub');
        });
        // Electron's did-navigate / did-navigate-in-page → setTitle; framenavigated is both.
        loginTitles.set(page, loginWindowTitle(request.url, request.authorityOrigins));
        page.on('framenavigated', (frame) => {
          if (frame === page.mainFrame()) loginTitles.set(page, loginWindowTitle(frame.url(), request.authorityOrigins));
        });
        const waiter = loginWaiters.shift();
        if (waiter) waiter(page);
        else pendingLogins.push(page);
        await page.goto(request.url).catch((error: Error) => {
          if (!page.isClosed()) request.onLoadFailed?.({ errorCode: -1, errorDescription: error.message.split('\n')[0] ?? 'load failed' });
        });
        return page;
      });
      pagePromise.catch(() => {}); // a window closed while opening is the user's cancel, reported above
      return {
        close() {
          closedByApp = true;
          void pagePromise.then((page) => page.close()).catch(() => {});
        },
      };
    },
    async clearLoginSession(origins) {
      for (const origin of origins) await context.clearCookies({ domain: new URL(origin).hostname });
    },
    async writeClipboard(text) {
      clipboard.push(text);
    },
    async openExternal(url) {
      opened.push(url);
    },
  };

  const config = { ...resolveConfig(undefined, {}), ...options.config };
  let controller = await createAppController(ports, { config, localIdp: options.idp });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const trusted = { origins: [options.rendererOrigin], fileUrls: [] };
  let unsubscribe = () => {};

  async function connect(): Promise<void> {
    const router = createIpcRouter({
      handlers: controller,
      isTrustedSender: (sender) => isTrustedSender(sender, trusted),
      describeError: (error) => controller.describeError(error),
    });
    const bridge = createBrowserBridge({
      router,
      dispatch: (event, payload) =>
        page.evaluate(([e, p]) => (globalThis as unknown as { __authAppDispatch(e: string, p: unknown): void }).__authAppDispatch(e, p), [event, payload] as const),
    });
    bindingRouter = bridge;
    unsubscribe = controller.subscribe((event) => bridge.publish(event.name, event.payload));
  }

  let bindingRouter: ReturnType<typeof createBrowserBridge> | undefined;
  await connect();
  // Bound once per page; it forwards to whichever controller is current (restart swaps it).
  await page.exposeBinding(bindingRouter!.bindingName, (source, method: unknown, request: unknown) =>
    bindingRouter!.invoke({ url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, method, request),
  );
  await page.addInitScript(bindingRouter!.initScript);
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(`${options.rendererOrigin}/`);

  return {
    page,
    get controller() {
      return controller;
    },
    nextLoginWindow() {
      const ready = pendingLogins.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => loginWaiters.push(resolve));
    },
    loginWindowTitle: (login) => loginTitles.get(login),
    clipboard,
    opened,
    async restart() {
      unsubscribe();
      await controller.dispose();
      controller = await createAppController(ports, { config, localIdp: options.idp });
      await connect();
      await page.reload();
    },
    async close() {
      unsubscribe();
      await controller.dispose();
      await page.close();
    },
  };
}
