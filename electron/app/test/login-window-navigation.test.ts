// The controller's side of the login window's navigation policy (issue 12), against the real engine and
// the local IdP: a window that reports a refused navigation ends the sign-in at once with a typed error
// (no fallback to device code, no wait for the timeout), and the device code panel's link opens exactly
// the current code's verification_uri through the shell.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startDevIdp, type DevIdp } from '../../../idp/index.js';
import { ClientAuthError } from '../../core/index.js';
import { createMemoryKeyStore } from '../../core/persistence/index.js';
import type { AppEvent, LoginWindowRequest, ShellPorts } from '../ports.js';
import { DEFAULT_CONFIG } from '../config.js';
import { createAppController } from '../create-controller.js';
import type { DesktopAppController } from '../controller.js';

let idp: DevIdp;
const dirs: string[] = [];

before(async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'nav-app-idp-'));
  dirs.push(dataDir);
  idp = await startDevIdp({ port: 0, dataDir });
});
after(async () => {
  await idp?.stop();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

interface Shell {
  controller: DesktopAppController;
  events: AppEvent[];
  opened: string[];
  windows: { request: LoginWindowRequest; closed: boolean }[];
}

/** A shell whose login window, once open, does what `onOpen` says (as app.ts's guards would report). */
async function appWith(onOpen: (request: LoginWindowRequest) => void): Promise<Shell> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'nav-app-'));
  dirs.push(userDataDir);
  const opened: string[] = [];
  const windows: Shell['windows'] = [];
  const ports: ShellPorts = {
    userDataDir,
    openLoginWindow(request) {
      const window = { request, closed: false };
      windows.push(window);
      queueMicrotask(() => onOpen(request));
      return { close: () => void (window.closed = true) };
    },
    clearLoginSession: async () => {},
    writeClipboard: async () => {},
    openExternal: async (url) => void opened.push(url),
  };
  const controller = await createAppController(ports, { config: DEFAULT_CONFIG, keyStore: createMemoryKeyStore(), localIdp: idp });
  const events: AppEvent[] = [];
  controller.subscribe((e) => events.push(e));
  return { controller, events, opened, windows };
}

test('a refused navigation ends the sign-in at once with navigation_blocked, shown to the user; no fallback to device code', { timeout: 60_000 }, async (t) => {
  const shell = await appWith((request) =>
    request.onNavigationBlocked?.({ rule: 'not-redirect', frame: 'main', scheme: 'http:', host: '127.0.0.1:8080' }),
  );
  t.after(() => shell.controller.dispose());
  const started = Date.now();
  const error = await shell.controller.signIn({ flow: 'auto' }).then(
    () => assert.fail('the sign-in succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ClientAuthError, String(error));
  assert.equal(error.code, 'navigation_blocked');
  assert.equal(error.message, "Blocked: http://127.0.0.1:8080 is plain http and not this sign-in's redirect");
  assert.ok(Date.now() - started < 60_000, 'not the 5-minute sign-in timeout');
  assert.equal(shell.windows.length, 1);
  assert.equal(shell.windows[0]!.closed, true, 'the controller closed the window');
  assert.equal(shell.events.filter((e) => e.name === 'deviceCode' && e.payload !== null).length, 0, 'device code was not tried');

  const view = shell.controller.describeError(error);
  assert.equal(view.kind, 'client');
  assert.equal(view.code, 'navigation_blocked');
  assert.match(view.message, /^The sign-in page tried to open an address this app does not allow, so the sign-in was stopped\. \(Blocked: http:\/\/127\.0\.0\.1:8080 /);
  assert.match(view.suggestedAction, /https/);
  const failure = shell.events.find((e) => e.name === 'activity' && e.payload.outcome === 'failure');
  assert.ok(failure && failure.name === 'activity' && failure.payload.errorCode === 'navigation_blocked');
  assert.equal((await shell.controller.getState()).signIn.inProgress, false);
});

test("the device code link opens the current code's verification_uri, and nothing when no code is showing", { timeout: 60_000 }, async (t) => {
  const shell = await appWith(() => {});
  t.after(() => shell.controller.dispose());
  await assert.rejects(shell.controller.openVerificationUri(), (e: { code?: string }) => e.code === 'no_device_code');
  assert.deepEqual(shell.opened, []);

  const signIn = shell.controller.signIn({ flow: 'device-code' }).catch((e: unknown) => e);
  const deadline = Date.now() + 30_000;
  while (!(await shell.controller.getState()).deviceCode && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const code = (await shell.controller.getState()).deviceCode;
  assert.ok(code, 'a device code is showing');
  assert.match(code.verificationUri, /^https:\/\//);
  assert.deepEqual(await shell.controller.openVerificationUri(), { opened: true });
  assert.deepEqual(shell.opened, [code.verificationUri], 'exactly the IdP-sent verification_uri');

  await shell.controller.cancelSignIn();
  assert.equal(((await signIn) as { code?: string }).code, 'user_cancelled');
  await assert.rejects(shell.controller.openVerificationUri(), (e: { code?: string }) => e.code === 'no_device_code');
  assert.equal(shell.opened.length, 1);
});
