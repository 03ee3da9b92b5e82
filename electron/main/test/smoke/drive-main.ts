// Runs the BUILT main entry (package.json "main") under Node with the recording stand-in for
// `electron` (testkit/electron-stand-in), plays Electron's part, and prints what it observed as one
// JSON line for main-process-smoke.test.ts to assert. The stand-in is not Electron: wiring only.
//   node --import tsx --import testkit/electron-stand-in/register.ts drive-main.ts <launch|broken-config>
// Env: SMOKE_USER_DATA (the app's userData folder), plus what the app reads (IDP_PORT, APP_CONFIG…).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connect } from 'node:tls';
import { runInThisContext } from 'node:vm';
import { electronFingerprint } from '../../../app/create-controller.js';
import { setTimeout as delay } from 'node:timers/promises';
import { methodChannel } from '../../../../shared/ipc-contract.js';
import { app, BrowserWindow, electronEvent, invokeAs, rendererElectron, standIn, type StandInSession } from '../../../../testkit/electron-stand-in/electron.js';

const scenario = process.argv[2];
const root = resolve(import.meta.dirname, '..', '..', '..', '..');
const facts: Record<string, unknown> = { scenario };
let reported = false;
const report = () => {
  if (reported) return;
  reported = true;
  process.stdout.write(`SMOKE ${JSON.stringify(facts)}\n`);
};

async function until<T>(what: string, probe: () => T | undefined | null | false, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await delay(20);
  }
}

app.userDataDir = process.env.SMOKE_USER_DATA ?? '';
standIn.onExit(async (code) => {
  facts.exitCode = code;
  facts.calls = standIn.calls.map((c) => ({ call: c.call, afterReady: c.afterReady, args: c.call === 'new BrowserWindow' ? [] : c.args }));
  const authority = (facts.state as { config?: { authority?: string } } | undefined)?.config?.authority;
  if (authority) {
    // dispose() stops the local IdP the controller started: nothing may answer there any more.
    facts.idpAnswersAfterExit = await fetch(new URL('/', authority)).then(() => true, () => false);
  }
  report();
});

const packageJson = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as { main: string };
await import(pathToFileURL(resolve(root, packageJson.main)).href);
facts.beforeReady = standIn.calls.map((c) => c.call);
standIn.emitReady();

if (scenario === 'broken-config') {
  await delay(30_000); // the app must exit by itself (app.exit after the error box); this is the bound
  facts.stillRunning = true;
  report();
  process.exit(3);
}

const loadedWindow = (index: number) => () => {
  const win = BrowserWindow.all[index];
  return win && win.loaded.length > 0 ? win : undefined;
};
const mainWindow = await until('the main window', loadedWindow(0));
const prefs = mainWindow.options.webPreferences ?? {};
facts.mainWindow = { webPreferences: { ...prefs, preload: undefined }, loaded: mainWindow.loaded, preloadExists: typeof prefs.preload === 'string' && existsSync(prefs.preload) };

// ---- app:// serves the renderer and nothing else ----
const entryUrl = mainWindow.loaded[0]!;
const entry = await standIn.fetchProtocol(entryUrl);
const html = await entry.text();
const referenced = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, entryUrl).href);
const served = [{ url: entryUrl, status: entry.status, type: entry.headers.get('content-type') }];
for (const url of referenced) {
  const r = await standIn.fetchProtocol(url);
  served.push({ url, status: r.status, type: r.headers.get('content-type') });
}
facts.served = served;
const outside = ['app://renderer/../../package.json', 'app://renderer/..%2f..%2fpackage.json', 'app://renderer/%2e%2e/%2e%2e/package.json', 'app://other/index.html', 'app://renderer/no-such-file.js'];
facts.outside = await Promise.all(outside.map(async (url) => ({ url, status: (await standIn.fetchProtocol(url)).status })));

// ---- the preload, as a sandboxed CommonJS preload: only `electron` can be required ----
const frame = { webContents: mainWindow.webContents, url: entryUrl, isMainFrame: true };
const renderer = rendererElectron(frame);
const refusedRequires: string[] = [];
const preloadRequire = (id: string) => {
  if (id === 'electron') return renderer.module;
  refusedRequires.push(id);
  throw new Error(`module not found: ${id}`);
};
const preloadCode = await readFile(prefs.preload, 'utf8');
const wrapped = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${preloadCode}\n})`, { filename: prefs.preload });
const preloadModule = { exports: {} };
wrapped(preloadModule.exports, preloadRequire, preloadModule, prefs.preload, dirname(prefs.preload));
facts.preload = { exposed: [...renderer.exposed.keys()], refusedRequires };
const authApp = renderer.exposed.get('authApp') as Record<string, (request?: unknown) => Promise<{ ok: boolean; value?: any; error?: any }>>;
facts.authAppMethods = Object.keys(authApp).sort();
const state = await authApp.getState!();
facts.state = state.ok ? state.value : state;
// The same channel invoked from another origin, and from a sub-frame of ours: refused.
const stranger = await invokeAs({ webContents: mainWindow.webContents, url: 'https://evil.example/', isMainFrame: true }, methodChannel('getState'));
const subFrame = await invokeAs({ webContents: mainWindow.webContents, url: entryUrl, isMainFrame: false }, methodChannel('getState'));
facts.refused = { stranger, subFrame };

// ---- sign-in opens the login window; closing it cancels ----
const signIn = authApp.signIn!();
const login = await until('the login window', loadedWindow(1));
const loginSession = login.webContents.session as StandInSession;
const permission = await new Promise<boolean>((res) => loginSession.permissionRequestHandler!(login.webContents, 'media', res, { requestingUrl: login.loaded[0]! }));
const idpHost = new URL(login.loaded[0]!).hostname;
// The IdP's own certificate, as Chromium would present it (Certificate.fingerprint form).
const idpCertificate = await new Promise<string>((res, rej) => {
  const socket = connect({ host: idpHost, port: Number(new URL(login.loaded[0]!).port), servername: idpHost, rejectUnauthorized: false }, () => {
    res(socket.getPeerX509Certificate()!.toString());
    socket.end();
  });
  socket.on('error', rej);
});
const verdicts = await Promise.all(
  [electronFingerprint(idpCertificate), 'sha256/not-the-idp', ''].map((fingerprint) => new Promise<number>((res) => loginSession.certificateVerifyProc!({ hostname: idpHost, certificate: { fingerprint } }, res))),
);
// Electron's navigation events, as docs/api/web-contents.md describes them: will-navigate (main frame),
// will-frame-navigate (every frame, isMainFrame says which), will-redirect (any frame); each returns
// whether the app called preventDefault.
const emitNavigation = (name: 'will-navigate' | 'will-frame-navigate' | 'will-redirect', url: string, isMainFrame: boolean) => {
  const e = electronEvent({ url, isMainFrame, isSameDocument: false, frame: null, initiator: null });
  login.webContents.emit(name, e);
  return e.defaultPrevented;
};
const navigate = (url: string) => emitNavigation('will-navigate', url, true);
const titleAfter = (event: 'did-navigate' | 'did-navigate-in-page', url: string, isMainFrame = true) => {
  if (event === 'did-navigate') login.webContents.emit('did-navigate', electronEvent(), url, 200, 'OK');
  else login.webContents.emit('did-navigate-in-page', electronEvent(), url, isMainFrame, 1, 1);
  return login.title;
};
facts.loginWindow = {
  options: { ...login.options, parent: login.options.parent === mainWindow ? 'main window' : String(login.options.parent) },
  title: login.title,
  // Origin and path only: the query holds the PKCE challenge, state and nonce, which no output shows.
  url: (({ origin, pathname }) => origin + pathname)(new URL(login.loaded[0]!)),
  query: [...new URL(login.loaded[0]!).searchParams.keys()].sort(),
  partition: loginSession.partition,
  permissionGranted: permission,
  permissionCheck: loginSession.permissionCheckHandler?.(login.webContents, 'clipboard-read', new URL(login.loaded[0]!).origin),
  certificateVerdicts: verdicts,
  hasCertificateProc: loginSession.certificateVerifyProc !== null,
  windowOpen: login.webContents.windowOpenHandler?.({ url: 'https://example.com/' }),
  ntlmDomains: loginSession.ntlmDomains,
};
// Followed: https anywhere (a federation server, its redirect, a frame of another origin).
facts.followed = {
  otherOrigin: !navigate('https://other.example/'),
  redirect: !emitNavigation('will-redirect', 'https://adfs.other.example/adfs/ls', true),
  frame: !emitNavigation('will-frame-navigate', 'https://frames.other.example/', false),
  frameRedirect: !emitNavigation('will-redirect', 'https://frames.other.example/next', false),
  mainViaFrameEvent: !emitNavigation('will-frame-navigate', 'https://other.example/', true),
};
facts.titles = {
  away: titleAfter('did-navigate', 'https://adfs.other.example/adfs/ls?wa=1'),
  subFrameInPage: titleAfter('did-navigate-in-page', 'https://frames.other.example/#x', false),
  inPage: titleAfter('did-navigate-in-page', 'https://mfa.other.example/#step2'),
  back: titleAfter('did-navigate', login.loaded[0]!),
};
// A frame's refused navigation is prevented but does not end the sign-in: only the top frame's does,
// so the sign-in below must end with the top frame's reason (127.0.0.1:1), not this one's (data:).
facts.frameBlocked = { data: emitNavigation('will-frame-navigate', 'data:text/html,x', false), http: emitNavigation('will-redirect', 'http://frames.other.example/', false) };
const blockedAt = Date.now();
const blocked: Record<string, boolean> = { http: navigate('http://127.0.0.1:1/?code=SECRET') };
facts.blocked = blocked;
const ended = await Promise.race([signIn, delay(5_000).then(() => 'still running')]);
facts.signInAfterBlock = { outcome: ended, ms: Date.now() - blockedAt, windowClosed: login.destroyed };
Object.assign(blocked, { javascript: navigate('javascript:alert(1)'), file: navigate('file:///etc/passwd'), redirect: emitNavigation('will-redirect', 'ms-app://x', true) });

// ---- a second sign-in: closing its window cancels ----
const secondSignIn = authApp.signIn!();
const second = await until('the second login window', loadedWindow(2));
const closedAt = Date.now();
second.close();
const outcome = await Promise.race([secondSignIn, delay(5_000).then(() => 'still running')]);
facts.signInAfterClose = { outcome, ms: Date.now() - closedAt };

// ---- quitting: dispose, then the process ends (the exit hook reports) ----
app.quit();
await delay(20_000);
facts.stillRunning = true;
report();
process.exit(3);
