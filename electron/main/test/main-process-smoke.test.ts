// Main-process smoke test: the BUILT main entry (package.json "main") loaded under Node, with a
// recording stand-in for the `electron` module (testkit/electron-stand-in, through a module resolve
// hook). The stand-in is NOT Electron — no window is drawn, no page runs, no Chromium policy applies —
// so this checks WIRING only: what app.ts asks of Electron's API, in what order, with which options,
// and that the IPC, protocol, login-window and quit paths reach the real controller, engine and IdP.
// What Electron itself does with those calls is covered by e2e/electron (skipped without a binary).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { methodNames } from '../../../shared/ipc-contract.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const built = existsSync(join(root, 'dist', 'electron', 'main', 'index.js')) && existsSync(join(root, 'dist', 'renderer', 'index.html'));
const skip = built ? false : 'run `npm run build` first (CI does): this test loads the built main entry';
const dirs: string[] = [];

interface Run {
  code: number | null;
  facts: Record<string, any>;
  stderr: string;
}

async function runMain(scenario: string, env: Record<string, string>): Promise<Run> {
  const userData = await mkdtemp(join(tmpdir(), 'smoke-userdata-'));
  dirs.push(userData);
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', join(root, 'testkit', 'electron-stand-in', 'register.ts'), join(import.meta.dirname, 'smoke', 'drive-main.ts'), scenario],
    { cwd: root, env: { ...process.env, SMOKE_USER_DATA: userData, IDP_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const code = await new Promise<number | null>((res) => child.on('exit', res));
  clearTimeout(timer);
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE '));
  assert.ok(line, `the driver reported (exit ${code}); stderr:\n${stderr.slice(-2000)}`);
  return { code, facts: JSON.parse(line.slice('SMOKE '.length)), stderr };
}

after(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('the main process under a recording stand-in for electron (wiring only, not Electron)', { skip, timeout: 180_000 }, () => {
  let run: Run;
  before(async () => {
    run = await runMain('launch', {});
  });

  test('single-instance lock, sandbox and the privileged app:// scheme come before ready', () => {
    const { beforeReady } = run.facts;
    for (const call of ['app.requestSingleInstanceLock', 'app.enableSandbox', 'protocol.registerSchemesAsPrivileged']) {
      assert.ok(beforeReady.includes(call), `${call} before ready (got ${beforeReady.join(', ')})`);
    }
    const scheme = run.facts.calls.find((c: any) => c.call === 'protocol.registerSchemesAsPrivileged');
    assert.equal(scheme.afterReady, false);
    assert.ok(run.facts.calls.some((c: any) => c.call === 'protocol.handle' && c.afterReady), 'the handler is installed once ready');
  });

  test('the main window is isolated, sandboxed, without Node, with a preload that exists', () => {
    const { webPreferences, preloadExists, loaded } = run.facts.mainWindow;
    assert.equal(webPreferences.contextIsolation, true);
    assert.equal(webPreferences.sandbox, true);
    assert.equal(webPreferences.nodeIntegration, false);
    assert.equal(webPreferences.webSecurity, true);
    assert.equal(webPreferences.webviewTag, false);
    assert.equal(preloadExists, true);
    assert.deepEqual(loaded, ['app://renderer/index.html']);
  });

  test('app:// serves the entry and every script and stylesheet it references, with their types, and nothing outside', () => {
    const served: Array<{ url: string; status: number; type: string }> = run.facts.served;
    assert.ok(served.length >= 3, `the entry plus its script and stylesheet (got ${served.map((s) => s.url).join(', ')})`);
    for (const s of served) assert.equal(s.status, 200, s.url);
    assert.match(served[0]!.type, /^text\/html/);
    assert.ok(served.some((s) => /\.js$/.test(s.url) && /^text\/javascript/.test(s.type)), 'a module script as JavaScript');
    assert.ok(served.some((s) => /\.css$/.test(s.url) && /^text\/css/.test(s.type)), 'a stylesheet as CSS');
    for (const o of run.facts.outside) assert.equal(o.status, 404, o.url);
  });

  test('the preload, run as a sandboxed CommonJS preload, requires only electron and exposes one API of exactly the contract', () => {
    assert.deepEqual(run.facts.preload, { exposed: ['authApp'], refusedRequires: [] });
    assert.deepEqual(run.facts.authAppMethods, [...methodNames, 'on'].sort());
    assert.equal(typeof run.facts.state.config.authority, 'string', 'getState reached the controller through ipcMain');
    assert.match(run.facts.state.config.authority, /^https:\/\/localhost:\d+\/contoso$/);
  });

  test('a call from another origin or from a sub-frame is refused', () => {
    for (const refused of [run.facts.refused.stranger, run.facts.refused.subFrame]) {
      assert.equal(refused.ok, false);
      assert.equal(typeof refused.error.code, 'string');
    }
  });

  test('signing in opens a login window: no preload, in-memory partition, permissions denied, certificate pin', () => {
    const w = run.facts.loginWindow;
    const prefs = w.options.webPreferences;
    assert.equal(prefs.preload, undefined);
    assert.equal(prefs.partition, 'auth-login');
    assert.ok(!prefs.partition.startsWith('persist:'));
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(w.options.parent, 'main window');
    assert.equal(w.options.modal, process.platform !== 'darwin');
    assert.match(w.url, /^https:\/\/localhost:\d+\/[0-9a-f-]{36}\/oauth2\/v2\.0\/authorize$/);
    for (const name of ['client_id', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'state', 'nonce']) assert.ok(w.query.includes(name), name);
    assert.match(w.title, /localhost/);
    assert.equal(w.permissionGranted, false);
    assert.equal(w.permissionCheck, false);
    assert.equal(w.hasCertificateProc, true);
    assert.deepEqual(w.certificateVerdicts, [0, -3, -3], "the local IdP's certificate is trusted; another: Chromium decides");
    assert.deepEqual(w.windowOpen, { action: 'deny' });
    assert.deepEqual(w.ntlmDomains, [''], "IWA is off by default: Chromium's default, no Negotiate allowlist");
  });

  test('the login window follows https anywhere, main frame or frame, and its title says when it left the authority', () => {
    assert.deepEqual(run.facts.followed, { otherOrigin: true, redirect: true, frame: true, frameRedirect: true, mainViaFrameEvent: true });
    const { away, subFrameInPage, inPage, back } = run.facts.titles;
    const authorityHost = new URL(run.facts.state.config.authority).host;
    assert.equal(away, `Signing in at adfs.other.example — redirected from ${authorityHost}`);
    assert.equal(subFrameInPage, away, "a frame's in-page navigation does not change the title");
    assert.equal(inPage, `Signing in at mfa.other.example — redirected from ${authorityHost}`, 'in-page navigations of the top frame do');
    assert.equal(back, `Sign in — ${authorityHost}`);
  });

  test('a refused top-level navigation is prevented and ends the sign-in at once with navigation_blocked; a frame\'s is only prevented', () => {
    assert.deepEqual(run.facts.frameBlocked, { data: true, http: true });
    assert.deepEqual(run.facts.blocked, { http: true, javascript: true, file: true, redirect: true });
    const { outcome, ms, windowClosed } = run.facts.signInAfterBlock;
    assert.notEqual(outcome, 'still running');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'navigation_blocked');
    assert.equal(outcome.error.kind, 'client');
    assert.match(outcome.error.message, /http:\/\/127\.0\.0\.1:1 is plain http/, "the top frame's reason, not a frame's");
    assert.doesNotMatch(outcome.error.message, /SECRET|code=/, 'scheme and host only');
    assert.ok(ms < 3_000, `${ms} ms (the sign-in timeout is 5 minutes)`);
    assert.equal(windowClosed, true, 'the app closed the login window');
  });

  test("the engine's requests ask the default session for the system proxy", () => {
    const asked = run.facts.calls.filter((c: any) => c.call === 'session.resolveProxy');
    assert.ok(asked.length > 0, 'resolveProxy was called');
    for (const c of asked) assert.equal(c.args[0], '', 'on the default session');
  });

  test('closing the login window ends the sign-in as cancelled within a second', () => {
    const { outcome, ms } = run.facts.signInAfterClose;
    assert.notEqual(outcome, 'still running');
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.code, 'user_cancelled');
    assert.ok(ms < 1_000, `${ms} ms`);
  });

  test('quitting disposes the controller (the local IdP stops) and the process ends with 0', () => {
    assert.equal(run.facts.stillRunning, undefined);
    assert.equal(run.code, 0);
    assert.equal(run.facts.exitCode, 0);
    const quits = run.facts.calls.filter((c: any) => c.call === 'app.quit').length;
    assert.equal(quits, 2, 'before-quit held the first quit for dispose(), which quit again');
    assert.equal(run.facts.idpAnswersAfterExit, false);
  });

  test('a broken configuration file ends in the error box and a non-zero exit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'smoke-config-'));
    dirs.push(dir);
    const configPath = join(dir, 'config.json');
    await writeFile(configPath, '{ "authority": ');
    const broken = await runMain('broken-config', { APP_CONFIG: configPath });
    assert.equal(broken.facts.stillRunning, undefined, 'the app exited by itself');
    assert.equal(broken.code, 1);
    const box = broken.facts.calls.find((c: any) => c.call === 'dialog.showErrorBox');
    assert.ok(box, 'dialog.showErrorBox was called');
    assert.match(box.args[0], /configuration/i);
    assert.ok(box.args[1].includes(configPath), 'names the file');
    assert.ok(!broken.facts.calls.some((c: any) => c.call === 'new BrowserWindow'), 'no window was opened');
  });
});
