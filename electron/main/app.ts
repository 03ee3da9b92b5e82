// The Electron composition root: lifecycle, windows, sessions and IPC wiring. Every decision is a pure
// function from this folder (sender-policy, navigation-policy, certificate-policy, window-options,
// ipc-router) with its own tests; this file only connects Electron's events to them. It cannot run on
// our machines (no Electron binary), so it is kept short and type-checked.
import { app, BrowserWindow, clipboard, dialog, ipcMain, protocol, session, shell, type IpcMainInvokeEvent, type Session, type WebContents } from 'electron';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { negotiateAllowlist } from '../core/index.js';
import { describeStartupFailure } from '../app/startup-failure.js';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, serveAppRequest } from './app-protocol.js';
import { eventChannel, methodChannel, methodNames } from '../../shared/ipc-contract.js';
import { certificateVerdict } from './certificate-policy.js';
import type { AppController, AppControllerFactory, LoginWindowHandle, LoginWindowRequest, ShellPorts } from '../app/ports.js';
import { createEventPublisher, createIpcRouter } from './ipc-router.js';
import { decideLoginNavigation, decideWindowOpen, isAllowedAppNavigation, isExternalBrowserUrl, isPermissionAllowed, loginWindowTitle, type FrameKind } from './navigation-policy.js';
import { isTrustedSender, type SenderInfo, type TrustedRenderer } from './sender-policy.js';
import { isLoginWindowModal, LOGIN_PARTITION, LOGIN_WINDOW_SIZE, MAIN_WINDOW_SIZE } from './window-options.js';

export interface DesktopAppOptions {
  createController: AppControllerFactory;
  /** Built renderer entry; default: dist/renderer/index.html next to this compiled file's dist/. */
  rendererFile?: string;
  /** Bundled CommonJS preload; default: dist/electron/preload/index.cjs. */
  preloadFile?: string;
  /** Vite dev server URL (development only; ignored in a packaged app). */
  devServerUrl?: string;
}

/** How long a copied access token may stay on the clipboard before we clear it (if still ours). */
const CLIPBOARD_CLEAR_MS = 60_000;

export function startDesktopApp(options: DesktopAppOptions): void {
  // A second instance would fight over the token cache file and the loopback port: hand over instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.enableSandbox();
  // Must happen before `ready`: app:// behaves like https (secure context, same-origin rules, fetch).
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

  const rendererFile = options.rendererFile ?? fileURLToPath(new URL('../../renderer/index.html', import.meta.url));
  const preloadFile = options.preloadFile ?? fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
  const devServerUrl = app.isPackaged ? undefined : options.devServerUrl;
  const rendererUrl = devServerUrl ?? APP_ENTRY_URL;
  const trusted: TrustedRenderer = { origins: [devServerUrl ?? APP_ORIGIN], fileUrls: [] };

  let mainWindow: BrowserWindow | null = null;
  let controller: AppController | null = null;
  /** The request (navigation policy, callbacks) of each open login window, for the shared guards. */
  const loginRequests = new WeakMap<WebContents, LoginWindowRequest>();

  // Guards for every web contents Electron ever creates (app window, login windows, devtools).
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideWindowOpen(url, controller?.externalOrigins() ?? []);
      // Only http(s) to an origin the controller expects (decideWindowOpen), and only from our renderer.
      if (decision.openExternally && contents === mainWindow?.webContents) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
      return { action: decision.action };
    });
    // preventDefault on will-navigate / will-frame-navigate cancels that navigation, on will-redirect the
    // whole navigation (not just the hop). A login window's refused top-level navigation also ends the
    // sign-in: Chromium reports the cancel as ERR_ABORTED, which did-fail-load cannot tell apart, and
    // the window would sit on the page it could not leave until the sign-in times out.
    const guard = (e: { preventDefault(): void; url: string }, frame: FrameKind) => {
      const login = loginRequests.get(contents);
      if (!login) {
        if (!(contents === mainWindow?.webContents && isAllowedAppNavigation(e.url, trusted))) e.preventDefault();
        return;
      }
      const decision = decideLoginNavigation(e.url, login, frame);
      if (decision.allowed) return;
      e.preventDefault();
      if (frame === 'main') login.onNavigationBlocked?.(decision.blocked);
    };
    // will-navigate: the main frame only, page- or user-initiated (not loadURL, which openLoginWindow checks).
    contents.on('will-navigate', (e) => guard(e, 'main'));
    // will-frame-navigate fires for every frame, the main one included (already guarded above).
    contents.on('will-frame-navigate', (e) => {
      if (!e.isMainFrame && loginRequests.has(contents)) guard(e, 'sub');
    });
    // Server redirects, in any frame.
    contents.on('will-redirect', (e) => guard(e, e.isMainFrame ? 'main' : 'sub'));
  });

  function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
    const frame = event.senderFrame;
    // Only the app window's top frame may call; a login window has no preload, but check anyway.
    if (!frame || event.sender !== mainWindow?.webContents) return { url: '', isMainFrame: false };
    return { url: frame.url, isMainFrame: frame.parent === null && frame === event.sender.mainFrame };
  }

  function denyAllPermissions(ses: Session, allow: (permission: string, url: string) => boolean): void {
    ses.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allow(permission, details.requestingUrl)));
    ses.setPermissionCheckHandler((_wc, permission, requestingOrigin) => allow(permission, requestingOrigin));
  }

  function openLoginWindow(request: LoginWindowRequest): LoginWindowHandle {
    // loadURL does not emit will-navigate, so the first URL is checked here.
    if (!decideLoginNavigation(request.url, request, 'main').allowed) throw new Error('login window: the sign-in URL is not https');
    const win = new BrowserWindow({
      ...LOGIN_WINDOW_SIZE,
      parent: mainWindow ?? undefined,
      modal: isLoginWindowModal(process.platform, mainWindow !== null),
      title: loginWindowTitle(request.url, request.authorityOrigins),
      autoHideMenuBar: true,
      // The IdP's pages: no preload (its scripts must never reach IPC), no Node, sandboxed, isolated,
      // on the in-memory login partition.
      webPreferences: {
        partition: LOGIN_PARTITION,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        disableBlinkFeatures: 'Auxclick',
        spellcheck: false,
      },
    });
    loginRequests.set(win.webContents, request);
    let closedByUs = false;
    // The title always names the host the user is typing into, whatever the page calls itself, and
    // says when that is not the authority's; in-page navigations (history.pushState) count too.
    win.on('page-title-updated', (e) => e.preventDefault());
    const showHost = (url: string) => win.setTitle(loginWindowTitle(url, request.authorityOrigins));
    win.webContents.on('did-navigate', (_e, url) => showHost(url));
    win.webContents.on('did-navigate-in-page', (_e, url, isMainFrame) => {
      if (isMainFrame) showHost(url);
    });
    win.webContents.on('did-fail-load', (_e, errorCode, errorDescription, _url, isMainFrame) => {
      // -3 (ERR_ABORTED) is our own navigation guard or the redirect completing: not a failure.
      if (isMainFrame && errorCode !== -3) request.onLoadFailed?.({ errorCode, errorDescription });
    });
    win.on('closed', () => {
      if (!closedByUs) request.onClosedByUser();
    });
    // loadURL rejects when the load is aborted (ERR_ABORTED: a guard cancelled it, the redirect
    // completed, the window closed); real failures reach the controller through did-fail-load.
    win.loadURL(request.url).catch(() => {});
    return {
      close() {
        closedByUs = true;
        if (!win.isDestroyed()) win.close();
      },
    };
  }

  const ports: ShellPorts = {
    openLoginWindow,
    async clearLoginSession(origins) {
      const ses = session.fromPartition(LOGIN_PARTITION);
      await Promise.all(origins.map((origin) => ses.clearStorageData({ origin })));
    },
    async writeClipboard(text) {
      await clipboard.writeText(text);
      setTimeout(() => {
        void clipboard.readText().then((current) => {
          if (current === text) clipboard.clear();
        });
      }, CLIPBOARD_CLEAR_MS).unref();
    },
    async openExternal(url) {
      // https, or http on loopback: never another protocol handler (ms-settings:, file:, …). The
      // controller checks the same before calling; anything else is dropped here, not opened.
      if (isExternalBrowserUrl(url)) await shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK (isExternalBrowserUrl)
    },
    resolveProxy: (url) => session.defaultSession.resolveProxy(url),
    userDataDir: app.getPath('userData'),
  };

  function createMainWindow(): BrowserWindow {
    const win = new BrowserWindow({
      ...MAIN_WINDOW_SIZE,
      show: false,
      title: 'Entra ID desktop sample',
      // Our renderer: the only window with a preload, which exposes the contract and nothing else.
      webPreferences: {
        preload: preloadFile, // eng-disable PRELOAD_JS_CHECK (exposes exactly the IPC contract, see electron/preload)
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        experimentalFeatures: false,
        navigateOnDragDrop: false,
        disableBlinkFeatures: 'Auxclick',
        spellcheck: false,
      },
    });
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = null;
    });
    // A failure shows as an empty window and did-fail-load; the rejection itself carries nothing more.
    win.loadURL(rendererUrl).catch((error: unknown) => console.error('the renderer did not load', error));
    return win;
  }

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(async () => {
    const rendererDir = dirname(rendererFile);
    protocol.handle(APP_SCHEME, (request) => serveAppRequest(request.url, rendererDir));
    denyAllPermissions(session.defaultSession, (permission, url) => isPermissionAllowed(permission, url, trusted));
    const loginSession = session.fromPartition(LOGIN_PARTITION);
    denyAllPermissions(loginSession, () => false);

    controller = await options.createController(ports);
    const active = controller;
    // Kerberos single sign-on in the login window while IWA is on (the sign-in menu switches it at any
    // time). The setting is not the login session's: it configures Chromium's whole network service,
    // for every session. Only the login window talks to the authority's hosts, and '' restores
    // Chromium's default (no ambient credentials outside the OS's intranet zone).
    let negotiateFor: boolean | null = null;
    const applyIwa = (iwaEnabled: boolean) => {
      if (iwaEnabled === negotiateFor) return;
      negotiateFor = iwaEnabled;
      loginSession.allowNTLMCredentialsForDomains(iwaEnabled ? negotiateAllowlist(active.externalOrigins()) : '');
    };
    applyIwa((await active.getState()).config.iwaEnabled);
    active.subscribe((e) => {
      if (e.name === 'stateChanged') applyIwa(e.payload.config.iwaEnabled);
    });
    const pins = controller.pinnedCertificates();
    // Trusts the local IdP's one certificate for its one host; everything else keeps Chromium's verdict (-3).
    loginSession.setCertificateVerifyProc((req, callback) => callback(certificateVerdict({ hostname: req.hostname, fingerprint: req.certificate.fingerprint }, pins))); // eng-disable CERTIFICATE_VERIFY_PROC_JS_CHECK

    const router = createIpcRouter({
      handlers: active,
      isTrustedSender: (sender) => isTrustedSender(sender, trusted),
      describeError: (error) => active.describeError(error),
      onRejected: (report) => console.warn('IPC call refused', report),
    });
    // Registering by iterating the contract: a method not in the contract has no channel at all.
    for (const name of methodNames) {
      ipcMain.handle(methodChannel(name), (event, request: unknown) => router.handle(name, senderInfo(event), request));
    }
    const publish = createEventPublisher(
      (event, payload) => mainWindow?.webContents.send(eventChannel(event), payload),
      (report) => console.warn('event refused by the contract', report),
    );
    active.subscribe((e) => publish(e.name, e.payload));

    mainWindow = createMainWindow();
    app.on('activate', () => {
      if (!mainWindow) mainWindow = createMainWindow();
    });
  }).catch((error: unknown) => {
    // A packaged app has no console anyone reads: say what failed and what to do, then exit non-zero.
    const failure = describeStartupFailure(error);
    console.error(`${failure.title}: ${failure.content}`);
    dialog.showErrorBox(failure.title, failure.content);
    app.exit(1);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let disposed = false;
  app.on('before-quit', (e) => {
    if (disposed || !controller) return;
    // Let the controller cancel flows and flush the cache before the process ends.
    e.preventDefault();
    disposed = true;
    void controller.dispose().finally(() => app.quit());
  });
}
