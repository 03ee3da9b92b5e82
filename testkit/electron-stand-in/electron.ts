// A recording stand-in for the `electron` module, for the main-process smoke test (no Electron binary
// can be had on our machines). It is NOT Electron: no window is drawn, no page runs, no Chromium policy
// applies. It records what the main process asks of Electron's API (the subset app.ts uses, with the
// documented signatures) and lets the test play Electron's part: emit `ready`, close a window, invoke
// an IPC channel as a given frame, run the preload as a sandboxed CommonJS script would run.
import { EventEmitter } from 'node:events';

export interface Recorded {
  call: string;
  args: unknown[];
  /** Whether `app` had emitted `ready` when this call was made. */
  afterReady: boolean;
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

const calls: Recorded[] = [];
let ready = false;
let resolveReady!: () => void;
const whenReadyPromise = new Promise<void>((res) => (resolveReady = res));
const exitHooks: Array<(code: number) => Promise<void> | void> = [];

function record(call: string, ...args: unknown[]): void {
  calls.push({ call, args, afterReady: ready });
}

/** An event object with preventDefault, as Electron passes to before-quit, will-navigate… */
export function electronEvent(extra: Record<string, unknown> = {}): { defaultPrevented: boolean; preventDefault(): void } & Record<string, unknown> {
  const event = {
    defaultPrevented: false,
    preventDefault() {
      event.defaultPrevented = true;
    },
    ...extra,
  };
  return event;
}

// ---- sessions ------------------------------------------------------------------------------------

export class StandInSession {
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void) | null = null;
  permissionCheckHandler: ((wc: unknown, permission: string, requestingOrigin: string) => boolean) | null = null;
  certificateVerifyProc: ((request: { hostname: string; certificate: { fingerprint: string } }, callback: (verdict: number) => void) => void) | null = null;
  ntlmDomains: string[] = [];
  cleared: Array<{ origin?: string }> = [];
  constructor(readonly partition: string) {}
  setPermissionRequestHandler(handler: StandInSession['permissionRequestHandler']) {
    record('session.setPermissionRequestHandler', this.partition);
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: StandInSession['permissionCheckHandler']) {
    record('session.setPermissionCheckHandler', this.partition);
    this.permissionCheckHandler = handler;
  }
  setCertificateVerifyProc(proc: StandInSession['certificateVerifyProc']) {
    record('session.setCertificateVerifyProc', this.partition);
    this.certificateVerifyProc = proc;
  }
  allowNTLMCredentialsForDomains(domains: string) {
    record('session.allowNTLMCredentialsForDomains', this.partition, domains);
    this.ntlmDomains.push(domains);
  }
  /** As Chromium answers with no proxy configured (docs/api/session.md `ses.resolveProxy`). */
  async resolveProxy(url: string): Promise<string> {
    record('session.resolveProxy', this.partition, new URL(url).origin);
    return 'DIRECT';
  }
  async clearStorageData(options: { origin?: string } = {}) {
    record('session.clearStorageData', this.partition, options);
    this.cleared.push(options);
  }
}

const sessions = new Map<string, StandInSession>();
const defaultSession = new StandInSession('');
export const session = {
  defaultSession,
  fromPartition(partition: string): StandInSession {
    let s = sessions.get(partition);
    if (!s) sessions.set(partition, (s = new StandInSession(partition)));
    return s;
  },
};

// ---- windows -------------------------------------------------------------------------------------

let nextId = 1;

export class StandInWebContents extends EventEmitter {
  readonly id = nextId++;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly mainFrame: { url: string; parent: null };
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  constructor(readonly session: StandInSession) {
    super();
    this.mainFrame = { url: '', parent: null };
  }
  setWindowOpenHandler(handler: StandInWebContents['windowOpenHandler']) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly all: BrowserWindow[] = [];
  readonly webContents: StandInWebContents;
  readonly loaded: string[] = [];
  title: string;
  destroyed = false;
  constructor(readonly options: Record<string, any> = {}) {
    super();
    record('new BrowserWindow', options);
    const partition = options.webPreferences?.partition as string | undefined;
    this.webContents = new StandInWebContents(partition ? session.fromPartition(partition) : defaultSession);
    this.title = String(options.title ?? '');
    BrowserWindow.all.push(this);
    app.emit('web-contents-created', electronEvent(), this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    record('BrowserWindow.loadURL', this.webContents.id, url);
    this.loaded.push(url);
    (this.webContents.mainFrame as { url: string }).url = url;
  }
  setTitle(title: string) {
    this.title = title;
  }
  show() {}
  focus() {}
  restore() {}
  isMinimized() {
    return false;
  }
  isDestroyed() {
    return this.destroyed;
  }
  close() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('closed');
  }
}

// ---- app -----------------------------------------------------------------------------------------

class StandInApp extends EventEmitter {
  isPackaged = false;
  userDataDir = '';
  requestSingleInstanceLock() {
    record('app.requestSingleInstanceLock');
    return true;
  }
  enableSandbox() {
    record('app.enableSandbox');
  }
  whenReady() {
    return whenReadyPromise;
  }
  getPath(name: string) {
    record('app.getPath', name);
    if (name !== 'userData') throw new Error(`stand-in: app.getPath(${name}) is not provided`);
    return this.userDataDir;
  }
  /** As Electron: before-quit (preventable), then will-quit and quit, then the process ends. */
  quit() {
    record('app.quit');
    const event = electronEvent();
    this.emit('before-quit', event);
    if (event.defaultPrevented) return;
    this.emit('will-quit', electronEvent());
    this.emit('quit', electronEvent(), 0);
    void endProcess(0);
  }
  exit(code = 0) {
    record('app.exit', code);
    void endProcess(code);
  }
}

async function endProcess(code: number): Promise<void> {
  for (const hook of exitHooks) await hook(code);
  process.exit(code);
}

export const app = new StandInApp();

// ---- IPC -----------------------------------------------------------------------------------------

const handlers = new Map<string, Handler>();
export const ipcMain = {
  handle(channel: string, handler: Handler) {
    record('ipcMain.handle', channel);
    if (handlers.has(channel)) throw new Error(`stand-in: a second handler for ${channel}`);
    handlers.set(channel, handler);
  },
};

/** The frame an ipcRenderer call comes from (Electron fills IpcMainInvokeEvent from it). */
export interface InvokingFrame {
  webContents: StandInWebContents;
  url: string;
  isMainFrame: boolean;
}

export async function invokeAs(frame: InvokingFrame, channel: string, ...args: unknown[]): Promise<unknown> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`stand-in: no handler for '${channel}'`);
  const senderFrame = frame.isMainFrame ? frame.webContents.mainFrame : { url: frame.url, parent: frame.webContents.mainFrame };
  if (frame.isMainFrame) (senderFrame as { url: string }).url = frame.url;
  return handler({ sender: frame.webContents, senderFrame }, ...args);
}

// ---- the renderer-side modules, for the preload -----------------------------------------------

/** What a preload sees as require('electron'): contextBridge and ipcRenderer, bound to one frame. */
export function rendererElectron(frame: InvokingFrame): { exposed: Map<string, unknown>; module: Record<string, unknown> } {
  const exposed = new Map<string, unknown>();
  const module = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        if (exposed.has(key)) throw new Error(`stand-in: ${key} exposed twice`);
        exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke: (channel: string, ...args: unknown[]) => invokeAs(frame, channel, ...args),
      on() {},
      removeListener() {},
    },
  };
  return { exposed, module };
}

// ---- the rest app.ts uses --------------------------------------------------------------------------

type ProtocolHandler = (request: { url: string }) => Response | Promise<Response>;
const protocolHandlers = new Map<string, ProtocolHandler>();
export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]) {
    record('protocol.registerSchemesAsPrivileged', schemes);
  },
  handle(scheme: string, handler: ProtocolHandler) {
    record('protocol.handle', scheme);
    protocolHandlers.set(scheme, handler);
  },
};

export const dialog = {
  showErrorBox(title: string, content: string) {
    record('dialog.showErrorBox', title, content);
  },
};

export const shell = {
  async openExternal(url: string) {
    record('shell.openExternal', url);
  },
};

let clipboardText = '';
export const clipboard = {
  async writeText(text: string) {
    clipboardText = text;
  },
  async readText() {
    return clipboardText;
  },
  clear() {
    clipboardText = '';
  },
};

export const net = {
  fetch() {
    throw new Error('stand-in: net.fetch is not provided');
  },
};

// ---- the test's side ---------------------------------------------------------------------------------

export const standIn = {
  calls,
  sessions,
  /** Play Electron's `ready`. */
  emitReady() {
    ready = true;
    app.emit('ready', electronEvent(), {});
    resolveReady();
  },
  /** Ask the scheme's handler, as Chromium would for a request the page makes. */
  async fetchProtocol(url: string): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = protocolHandlers.get(scheme);
    if (!handler) throw new Error(`stand-in: no handler for ${scheme}:`);
    return handler({ url });
  },
  /** Runs (and awaits) before the process ends through app.quit() or app.exit(). */
  onExit(hook: (code: number) => Promise<void> | void) {
    exitHooks.push(hook);
  },
};
