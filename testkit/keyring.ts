// Private Secret Service sessions for tests, one per situation keytar can meet:
//   'unlocked'  a D-Bus session with gnome-keyring, login keyring unlocked (the normal desktop)
//   'locked'    the same login keyring (created earlier, unlocked, in `home`), daemon started without
//               the password: reads find nothing, writes fail "Cannot create an item in a locked collection"
//   'bare'      a D-Bus session where nothing provides org.freedesktop.secrets
//               → "The name org.freedesktop.secrets was not provided by any .service files"
// plus `noDbusEnv()`: no session bus at all → "Cannot autolaunch D-Bus without X11 $DISPLAY".
//
// Each session is its own dbus-daemon + gnome-keyring-daemon under a private HOME, so a test never
// shares a keyring with another test run (scripts/test.mjs's session lives in the checkout's .tmp and is
// wiped by any other `npm test` started meanwhile). libsecret keeps one bus connection per process and
// reads DBUS_SESSION_BUS_ADDRESS when it first connects: set it before the first keytar call, or run the
// code in a child process with the session's env.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type SessionKind = 'unlocked' | 'locked' | 'bare';

export interface KeyringSession {
  /** Environment for a process that should use this session (bus address, HOME, XDG dirs). */
  readonly env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const KEYRING_PASSWORD = 'test-keyring'; // unlocks only throw-away keyrings under a temp folder

// A session bus config with no service directories: nothing can be activated, so no Secret Service.
const BARE_SESSION_CONF = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
`;

/** Why keyring tests cannot run here (for `test(name, { skip })`), or false when they can. */
export function keyringUnavailable(): string | false {
  const found = spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], { stdio: 'ignore' }).status === 0;
  return found ? false : 'dbus-run-session / gnome-keyring-daemon not installed (bash scripts/install-prerequisites.sh)';
}

/** HOME and XDG dirs under `home`: gnome-keyring keeps its keyrings and control socket there. */
export function homeEnv(home: string): NodeJS.ProcessEnv {
  mkdirSync(join(home, 'runtime'), { recursive: true, mode: 0o700 });
  return {
    HOME: home,
    XDG_RUNTIME_DIR: join(home, 'runtime'),
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    XDG_CACHE_HOME: join(home, 'cache'),
  };
}

/** The inherited environment minus anything that points at a display or a session bus. */
export function noDbusEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const copy = { ...base };
  for (const name of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'GNOME_KEYRING_CONTROL']) delete copy[name];
  return copy;
}

/**
 * Start a session whose keyrings live under `home` (reuse the same `home` to find the same keyring
 * again, as after a reboot). Resolves once the bus (and the keyring, when asked for) is up.
 */
export async function startKeyringSession(kind: SessionKind, home: string): Promise<KeyringSession> {
  const env = { ...noDbusEnv(), ...homeEnv(home), KEYRING_PASSWORD };
  const announce = 'echo "BUS=$DBUS_SESSION_BUS_ADDRESS" && exec sleep 2147483647';
  const daemon =
    kind === 'unlocked'
      ? `printf '%s' "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && `
      : kind === 'locked'
        ? 'gnome-keyring-daemon --start --components=secrets >/dev/null && '
        : '';
  const args = ['--', 'sh', '-c', daemon + announce];
  if (kind === 'bare') {
    const conf = join(home, 'bare-session.conf');
    writeFileSync(conf, BARE_SESSION_CONF);
    args.unshift(`--config-file=${conf}`);
  }
  // Its own process group, so stop() ends the bus, the shell and the keyring daemon together.
  const child = spawn('dbus-run-session', args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const bus = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /BUS=(\S+)\n/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('close', (code) => reject(new Error(`keyring session (${kind}) ended early (${code}): ${err}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  const { KEYRING_PASSWORD: _, ...sessionEnv } = { ...env, DBUS_SESSION_BUS_ADDRESS: bus };
  return {
    env: sessionEnv,
    stop: () => stopGroup(child),
  };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('close', () => resolve());
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      resolve();
    }
  });
}

/** A login keyring that exists under `home` but will be locked: created (with one item) in an unlocked session. */
export async function prepareLockedKeyring(home: string, keytarPath: string): Promise<void> {
  const session = await startKeyringSession('unlocked', home);
  try {
    const seed = "require(process.env.KEYTAR_PATH).setPassword('seed-service','seed','x').then(()=>{},e=>{console.error(e.message);process.exit(1)})";
    const result = await collect(spawn(process.execPath, ['-e', seed], { env: { ...session.env, KEYTAR_PATH: keytarPath }, stdio: ['ignore', 'pipe', 'pipe'] }));
    if (result.code !== 0) throw new Error(`could not create a login keyring: ${result.stderr}`);
  } finally {
    await session.stop();
  }
}

/** Run `node --import tsx script args` with exactly `env`. */
export function spawnNodeTs(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Wait for a child, collecting its output; the timeout only bounds a hung child (killed, never asserted on). */
export function collect(child: ChildProcess, timeoutMs = 120_000): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}
