// Finds the Electron executable, and — only when asked (`npm start` on a first run) — downloads it with the
// electron package's own installer. Since Electron 45 the package has no install script: its binary comes
// the first time `require('electron')` or its `install-electron` bin runs. Finding never downloads (the e2e
// tests only ask whether a binary is there), and the download runs the package's `install.js` rather than
// calling @electron/get ourselves, so every @electron/get setting (ELECTRON_MIRROR, electron_config_cache,
// electron_use_remote_checksums, proxies, …) keeps working as Electron documents it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export type ElectronSource = 'ELECTRON_PATH' | 'ELECTRON_OVERRIDE_DIST_PATH' | 'package';

export type ElectronLocation =
  | { kind: 'found'; executable: string; source: ElectronSource }
  /** A variable names a binary that is not there: reported, never papered over with a download. */
  | { kind: 'missing'; variable: 'ELECTRON_PATH' | 'ELECTRON_OVERRIDE_DIST_PATH'; expected: string }
  /** The electron package has no binary yet: its installer can download one. */
  | { kind: 'not-installed'; packageDir: string }
  | { kind: 'no-package' }
  | { kind: 'unsupported-platform'; platform: string };

/** Where the executable sits inside an unpacked Electron build (what install.js writes to path.txt). */
export function electronExecutablePath(platform: NodeJS.Platform): string | null {
  switch (platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    default:
      return null;
  }
}

export interface LocateInput {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The electron package's folder, or null when it is not installed at all. */
  packageDir: string | null;
  exists: (file: string) => boolean;
}

/**
 * Pure: which executable `npm start` should run. ELECTRON_PATH, then ELECTRON_OVERRIDE_DIST_PATH (the
 * platform's executable inside it — the electron package itself would look for `electron` there on every
 * platform when it has no path.txt), then the package's own `dist/`.
 */
export function locateElectron({ env, platform, packageDir, exists }: LocateInput): ElectronLocation {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (env.ELECTRON_PATH) {
    return exists(env.ELECTRON_PATH)
      ? { kind: 'found', executable: env.ELECTRON_PATH, source: 'ELECTRON_PATH' }
      : { kind: 'missing', variable: 'ELECTRON_PATH', expected: env.ELECTRON_PATH };
  }
  const relative = electronExecutablePath(platform);
  if (relative === null) return { kind: 'unsupported-platform', platform };
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const executable = paths.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return exists(executable)
      ? { kind: 'found', executable, source: 'ELECTRON_OVERRIDE_DIST_PATH' }
      : { kind: 'missing', variable: 'ELECTRON_OVERRIDE_DIST_PATH', expected: executable };
  }
  if (packageDir === null) return { kind: 'no-package' };
  const executable = paths.join(packageDir, 'dist', relative);
  return exists(executable) ? { kind: 'found', executable, source: 'package' } : { kind: 'not-installed', packageDir };
}

/**
 * The electron package's folder. START_ELECTRON_PACKAGE_DIR names another copy of it (the tests use a
 * scratch copy, so a test download never lands in the node_modules other work relies on).
 */
export function electronPackageDir(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.START_ELECTRON_PACKAGE_DIR) return path.resolve(env.START_ELECTRON_PACKAGE_DIR);
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

export function electronVersion(packageDir: string): string {
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: unknown };
  if (typeof version !== 'string') throw new Error(`${packageDir}/package.json has no version`);
  return version;
}

/** This machine's Electron executable, or null. Never downloads. */
export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  const location = locateElectron({ env, platform: process.platform, packageDir: electronPackageDir(env), exists: existsSync });
  return location.kind === 'found' ? location.executable : null;
}

export type ElectronDownloadErrorCode = 'download_failed' | 'download_timed_out' | 'installer_not_started';

export class ElectronDownloadError extends Error {
  override name = 'ElectronDownloadError';
  constructor(
    readonly code: ElectronDownloadErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The one line of an installer failure worth showing: install.js prints the error's stack last, so the line
 * just before its final run of `at …` frames is the error itself (@electron/get's DEBUG output, when on,
 * comes earlier). Credentials in a mirror URL (https://user:pass@host/) are masked.
 */
export function installerFailureSummary(stderr: string): string | null {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const isFrame = (l: string | undefined) => l !== undefined && l.startsWith('at ');
  let index = lines.length - 1;
  while (index >= 0 && isFrame(lines[index])) index -= 1;
  const line = lines[index];
  if (line === undefined) return null;
  const masked = line.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1***@');
  return masked.length > 300 ? `${masked.slice(0, 300)}…` : masked;
}

export interface DownloadOptions {
  packageDir: string;
  env: NodeJS.ProcessEnv;
  /** The whole download is bounded: a stalled mirror must not hang `npm start`. */
  timeoutMs: number;
  /** Called every `heartbeatMs` while the download runs (the installer shows no progress through a pipe). */
  onWaiting?: (elapsedMs: number) => void;
  heartbeatMs?: number;
}

/** Runs the electron package's own installer; resolves when the binary is in place. */
export function downloadElectron({ packageDir, env, timeoutMs, onWaiting, heartbeatMs = 30_000 }: DownloadOptions): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // stderr is captured, not shown: on failure install.js prints a stack trace, and what the user needs
    // instead is the reason and what to do (howToGetElectron). Unless they asked for @electron/get's details.
    const showDetails = (env.DEBUG ?? '').includes('@electron/get') || env.DEBUG?.trim() === '*';
    const child = spawn(process.execPath, [path.join(packageDir, 'install.js')], {
      env,
      stdio: ['ignore', 'inherit', showDetails ? 'inherit' : 'pipe'],
      windowsHide: true,
    });
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < 64 * 1024) stderr += chunk;
    });
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const heartbeat = onWaiting ? setInterval(() => onWaiting(Date.now() - started), heartbeatMs) : undefined;
    const done = () => {
      clearTimeout(deadline);
      clearInterval(heartbeat);
    };
    child.on('error', (error) => {
      done();
      reject(new ElectronDownloadError('installer_not_started', 'The electron package\'s installer could not be started.', { cause: error }));
    });
    child.on('close', (code, signal) => {
      done();
      if (timedOut) {
        reject(new ElectronDownloadError('download_timed_out', `The Electron download did not finish within ${Math.round(timeoutMs / 1000)} s.`));
      } else if (code === 0) {
        resolve();
      } else {
        const summary = showDetails ? 'details above' : installerFailureSummary(stderr);
        const status = code === null ? `was stopped by ${signal}` : `exited with code ${code}`;
        reject(new ElectronDownloadError('download_failed', `The Electron download failed (the installer ${status})${summary ? `: ${summary}` : '.'}`));
      }
    });
  });
}

export function howToGetElectron(version: string): string {
  const major = version.split('.')[0];
  return [
    `Electron ${version}'s binary is downloaded on the first \`npm start\`, from GitHub or from ELECTRON_MIRROR.`,
    'Without access to either, get a binary in one of these ways, then run `npm start` again:',
    `  - ELECTRON_OVERRIDE_DIST_PATH=<folder holding an unpacked Electron ${major} build>`,
    '    (electron on Linux, Electron.app on macOS, electron.exe on Windows inside it)',
    '  - ELECTRON_PATH=<an Electron executable>',
    '  - ELECTRON_MIRROR=<a reachable mirror of Electron\'s releases>, e.g. https://npmmirror.com/mirrors/electron/',
    'Details of a failed download: DEBUG=@electron/get* npm start',
    'Everything below the Electron shell (local IdP, auth engine, encrypted cache, renderer) runs without it:',
    '`npm run idp` starts the identity provider and `npm test` exercises the rest in Chromium.',
  ].join('\n');
}
