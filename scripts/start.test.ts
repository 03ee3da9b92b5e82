// `npm start` on a first run, for real: scripts/start.ts runs as a process against a scratch copy of the
// electron package with no binary, and downloads a stand-in "Electron" (a shell script recording its
// arguments) through the package's own installer from a mirror on loopback. The build is skipped
// (START_SKIP_BUILD=1): what is under test is finding, downloading and launching.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  STAND_IN_ELECTRON,
  electronVersionOf,
  realElectronPackage,
  refusedPort,
  scratchElectronPackage,
  startMirror,
  type Mirror,
  type MirrorBehaviour,
} from './test/electron-mirror.js';

const root = resolve(import.meta.dirname, '..');
const version = electronVersionOf(realElectronPackage);
const skip = process.platform === 'win32' ? 'the stand-in Electron is a POSIX shell script' : false;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let scratch: string;

/** This process's environment without any Electron or @electron/get setting, so only the test's apply. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_config_|npm_package_config_)?electron_/i.test(key) || key.startsWith('START_') || key === 'force_no_cache') continue;
    env[key] = value;
  }
  return env;
}

/** Runs `npm start`'s script; killed (and failed) if it has not ended within 90 s. */
function start(env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'start.ts')], {
      cwd: root, // as `npm start` runs it
      env: { ...cleanEnv(), START_SKIP_BUILD: '1', ELECTRON_GET_NO_PROGRESS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`start.ts did not end within 90 s\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function freshCase(name: string): { packageDir: string; cache: string; argvFile: string } {
  const dir = join(scratch, name);
  mkdirSync(dir);
  return { packageDir: scratchElectronPackage(dir), cache: join(dir, 'cache'), argvFile: join(dir, 'argv.txt') };
}

function downloadEnv(c: { packageDir: string; cache: string; argvFile: string }, mirrorUrl: string): NodeJS.ProcessEnv {
  return {
    START_ELECTRON_PACKAGE_DIR: c.packageDir,
    ELECTRON_MIRROR: mirrorUrl,
    electron_use_remote_checksums: '1',
    electron_config_cache: c.cache,
    STAND_IN_ARGV_FILE: c.argvFile,
  };
}

function assertHowTo(run: Run): void {
  assert.notEqual(run.code, 0);
  assert.match(run.stderr, /ELECTRON_OVERRIDE_DIST_PATH=/);
  assert.match(run.stderr, /ELECTRON_PATH=/);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
}

describe('npm start on a first run (scripts/start.ts)', { skip }, () => {
  const mirrors: Mirror[] = [];
  const mirror = async (behaviour?: MirrorBehaviour) => {
    const m = await startMirror(version, behaviour);
    mirrors.push(m);
    return m;
  };

  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'start-test-'));
  });
  after(async () => {
    await Promise.all(mirrors.map((m) => m.close()));
    rmSync(scratch, { recursive: true, force: true });
  });

  test('downloads the binary with the package installer, then launches it on the app folder; the next start does not download', async () => {
    const c = freshCase('first-run');
    const m = await mirror();
    const first = await start(downloadEnv(c, m.url));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /downloading/i);
    assert.deepEqual(m.requests.sort(), [`/v${version}/SHASUMS256.txt`, `/v${version}/electron-v${version}-${process.platform}-${process.arch}.zip`].sort());
    assert.equal(readFileSync(join(c.packageDir, 'dist', 'electron'), 'utf8'), STAND_IN_ELECTRON);
    assert.equal(readFileSync(c.argvFile, 'utf8'), `${root}\n`, 'Electron ran with the app folder as its argument');
    assert.ok(readdirSync(c.cache).length > 0, 'the download went to electron_config_cache');

    rmSync(c.argvFile);
    const second = await start({ ...downloadEnv(c, m.url), STAND_IN_EXIT: '3' });
    assert.equal(second.code, 3, "the app's exit code is npm start's");
    assert.equal(m.requests.length, 2, 'no second download');
    assert.doesNotMatch(second.stdout, /downloading/i);
    assert.equal(readFileSync(c.argvFile, 'utf8'), `${root}\n`);
  });

  test('offline (the mirror refuses connections): the how-to, a non-zero exit, no stack trace, nothing launched', async () => {
    const c = freshCase('offline');
    const run = await start(downloadEnv(c, `http://127.0.0.1:${await refusedPort()}/`));
    assertHowTo(run);
    assert.match(run.stderr, /The Electron download failed/);
    assert.ok(!existsSync(join(c.packageDir, 'dist', 'electron')));
    assert.ok(!existsSync(c.argvFile));
  });

  test("with DEBUG=@electron/get*, the installer's own output is shown too", async () => {
    const c = freshCase('offline-debug');
    const run = await start({ ...downloadEnv(c, `http://127.0.0.1:${await refusedPort()}/`), DEBUG: '@electron/get*' });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /@electron\/get:/);
    assert.match(run.stderr, /ELECTRON_OVERRIDE_DIST_PATH=/);
  });

  test('a mirror that never answers: the download is cut off at START_DOWNLOAD_TIMEOUT_SECONDS', async () => {
    const c = freshCase('stalled');
    const m = await mirror('stall');
    const run = await start({ ...downloadEnv(c, m.url), START_DOWNLOAD_TIMEOUT_SECONDS: '2' });
    assertHowTo(run);
    assert.match(run.stderr, /did not finish within 2 s/);
    assert.ok(m.requests.length >= 1, 'the download was attempted');
  });

  test('a checksum mismatch (electron_use_remote_checksums) fails the download: nothing is launched', async () => {
    const c = freshCase('bad-checksum');
    const m = await mirror('wrong-checksum');
    const run = await start(downloadEnv(c, m.url));
    assertHowTo(run);
    assert.ok(!existsSync(c.argvFile));
  });

  test('ELECTRON_OVERRIDE_DIST_PATH: runs the platform executable in that folder, with no download', async () => {
    const c = freshCase('override');
    const dist = join(scratch, 'override', 'unpacked');
    mkdirSync(dist);
    writeFileSync(join(dist, 'electron'), STAND_IN_ELECTRON);
    chmodSync(join(dist, 'electron'), 0o755);
    const m = await mirror();
    const run = await start({ ...downloadEnv(c, m.url), ELECTRON_OVERRIDE_DIST_PATH: dist });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(readFileSync(c.argvFile, 'utf8'), `${root}\n`);
    assert.deepEqual(m.requests, []);
  });

  test('ELECTRON_OVERRIDE_DIST_PATH without an executable in it: says where it looked, never downloads instead', async () => {
    const c = freshCase('override-empty');
    const dist = join(scratch, 'override-empty', 'unpacked');
    mkdirSync(dist);
    const m = await mirror();
    const run = await start({ ...downloadEnv(c, m.url), ELECTRON_OVERRIDE_DIST_PATH: dist });
    assertHowTo(run);
    assert.ok(run.stderr.includes(join(dist, 'electron')), run.stderr);
    assert.deepEqual(m.requests, []);
  });
});
