import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { electronExecutablePath, installerFailureSummary, locateElectron, type LocateInput } from './electron-binary.js';

const none = () => false;
const only = (...files: string[]) => (file: string) => files.includes(file);

describe('electronExecutablePath', () => {
  test("each platform's executable inside an unpacked Electron build", () => {
    assert.equal(electronExecutablePath('linux'), 'electron');
    assert.equal(electronExecutablePath('darwin'), 'Electron.app/Contents/MacOS/Electron');
    assert.equal(electronExecutablePath('win32'), 'electron.exe');
    assert.equal(electronExecutablePath('aix'), null);
  });
});

describe('locateElectron', () => {
  const base = (over: Partial<LocateInput>): LocateInput => ({ env: {}, platform: 'linux', packageDir: '/repo/node_modules/electron', exists: none, ...over });

  test('ELECTRON_OVERRIDE_DIST_PATH: the platform executable in that folder, on Linux, macOS and Windows', () => {
    assert.deepEqual(locateElectron(base({ env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, exists: only('/opt/electron/electron') })), {
      kind: 'found',
      executable: '/opt/electron/electron',
      source: 'ELECTRON_OVERRIDE_DIST_PATH',
    });
    const mac = '/Users/me/electron/Electron.app/Contents/MacOS/Electron';
    assert.deepEqual(locateElectron(base({ platform: 'darwin', env: { ELECTRON_OVERRIDE_DIST_PATH: '/Users/me/electron' }, exists: only(mac) })), {
      kind: 'found',
      executable: mac,
      source: 'ELECTRON_OVERRIDE_DIST_PATH',
    });
    const win = 'C:\\electron\\electron.exe';
    assert.deepEqual(locateElectron(base({ platform: 'win32', env: { ELECTRON_OVERRIDE_DIST_PATH: 'C:\\electron' }, packageDir: 'C:\\repo\\node_modules\\electron', exists: only(win) })), {
      kind: 'found',
      executable: win,
      source: 'ELECTRON_OVERRIDE_DIST_PATH',
    });
  });

  test('ELECTRON_OVERRIDE_DIST_PATH without the executable: missing, naming the path looked at (never a download)', () => {
    assert.deepEqual(locateElectron(base({ platform: 'darwin', env: { ELECTRON_OVERRIDE_DIST_PATH: '/x' }, exists: only('/x/electron') })), {
      kind: 'missing',
      variable: 'ELECTRON_OVERRIDE_DIST_PATH',
      expected: '/x/Electron.app/Contents/MacOS/Electron',
    });
  });

  test('ELECTRON_PATH comes first; a wrong one is reported', () => {
    const env = { ELECTRON_PATH: '/bin/my-electron', ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    assert.deepEqual(locateElectron(base({ env, exists: only('/bin/my-electron', '/opt/electron/electron') })), {
      kind: 'found',
      executable: '/bin/my-electron',
      source: 'ELECTRON_PATH',
    });
    assert.deepEqual(locateElectron(base({ env, exists: only('/opt/electron/electron') })), { kind: 'missing', variable: 'ELECTRON_PATH', expected: '/bin/my-electron' });
  });

  test("the package's dist/, else not installed (downloadable), else no package", () => {
    assert.deepEqual(locateElectron(base({ exists: only('/repo/node_modules/electron/dist/electron') })), {
      kind: 'found',
      executable: '/repo/node_modules/electron/dist/electron',
      source: 'package',
    });
    assert.deepEqual(locateElectron(base({ platform: 'win32', packageDir: 'C:\\repo\\node_modules\\electron', exists: only('C:\\repo\\node_modules\\electron\\dist\\electron.exe') })), {
      kind: 'found',
      executable: 'C:\\repo\\node_modules\\electron\\dist\\electron.exe',
      source: 'package',
    });
    assert.deepEqual(locateElectron(base({})), { kind: 'not-installed', packageDir: '/repo/node_modules/electron' });
    assert.deepEqual(locateElectron(base({ packageDir: null })), { kind: 'no-package' });
    assert.deepEqual(locateElectron(base({ platform: 'aix' })), { kind: 'unsupported-platform', platform: 'aix' });
  });
});

describe('installerFailureSummary', () => {
  test("the error line of install.js's stack, credentials in URLs masked", () => {
    const stderr = 'HTTPError: Response code 404 (Not Found) for https://user:s3cret@mirror.example/v45.5.0/x.zip\n    at FetchDownloader.download (file:///x.js:1:1)\n';
    assert.equal(installerFailureSummary(stderr), 'HTTPError: Response code 404 (Not Found) for https://***@mirror.example/v45.5.0/x.zip');
    assert.equal(installerFailureSummary('\n'), null);
  });

  test("with @electron/get's DEBUG output before it, still the error line", () => {
    const stderr = '2026-01-01T00:00:00.000Z @electron/get:index Checking the cache\nTypeError: fetch failed\n    at node:internal/deps/undici:1:1\n    at async x (file:///y.js:2:2)\n';
    assert.equal(installerFailureSummary(stderr), 'TypeError: fetch failed');
  });
});
