#!/usr/bin/env node
// `npm test`: every test file, run by Node's own test runner (TypeScript through tsx), inside a
// private HOME and a private D-Bus session with an unlocked gnome-keyring, so keytar talks to a
// real Secret Service and nothing touches the developer's own keyring or browser profile.
//
//   npm test                 all tests
//   npm test -- idp          only test files whose path contains "idp"
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, existsSync, rmSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const ROOTS = ['shared', 'idp', 'electron', 'renderer', 'testkit', 'e2e', 'scripts'];
const filters = process.argv.slice(2);

function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return findTests(path);
    // Forward slashes on every platform, so `npm test -- electron/core` filters the same way on Windows.
    return /\.test\.tsx?$/.test(name) ? [relative(root, path).split(sep).join('/')] : [];
  });
}

const files = ROOTS.flatMap((d) => findTests(join(root, d)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// One home per run: two runs in the same checkout must not wipe each other's keyring or profiles.
const home = join(root, '.tmp', `test-home-${process.pid}`);
rmSync(home, { recursive: true, force: true });
mkdirSync(join(home, 'runtime'), { recursive: true, mode: 0o700 });
const env = {
  ...process.env,
  HOME: home,
  TSX_TSCONFIG_PATH: join(root, 'tsconfig.tsx.json'),
  XDG_RUNTIME_DIR: join(home, 'runtime'),
  XDG_DATA_HOME: join(home, 'data'),
  XDG_CONFIG_HOME: join(home, 'config'),
  XDG_CACHE_HOME: join(home, 'cache'),
  NODE_OPTIONS: [process.env.NODE_OPTIONS, '--no-warnings=ExperimentalWarning'].filter(Boolean).join(' '),
};

// Each test file runs in its own process, and --test-timeout bounds each file as a whole: a hung test,
// hook or leaked handle fails as that file ("test timed out"), with the tests that already passed
// listed, instead of holding the run until CI's 90 minutes are gone. The slowest file takes about
// 35 s on a 2-core machine (the desktop e2e); no --test-force-exit, so a leaked handle fails too.
const FILE_TIMEOUT_MS = 600_000;
const nodeTest = [process.execPath, '--import', 'tsx', '--test', `--test-timeout=${FILE_TIMEOUT_MS}`, '--test-reporter=spec', ...files];
const quoted = nodeTest.map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(' ');
// The D-Bus + gnome-keyring wrapper is Linux's Secret Service; macOS and Windows keychains need none.
const linux = process.platform === 'linux';
const haveKeyring = linux && spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], { stdio: 'ignore' }).status === 0;

let result;
if (haveKeyring) {
  // The keyring's password only unlocks this throw-away keyring under .tmp/.
  const script = `printf 'test-keyring' | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec ${quoted}`;
  result = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], { cwd: root, env, stdio: 'inherit' });
} else {
  if (linux) console.warn('dbus-run-session or gnome-keyring-daemon missing: keychain tests will report the keychain as unavailable. Run `bash scripts/install-prerequisites.sh`.');
  result = spawnSync(nodeTest[0], nodeTest.slice(1), { cwd: root, env, stdio: 'inherit' });
}
rmSync(home, { recursive: true, force: true });
process.exit(result.status ?? 1);
