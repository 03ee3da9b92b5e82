// `npm start`: find the Electron binary (on a first run, download it with the electron package's own
// installer), build, then launch the app on this folder (it starts the local IdP in-process).
// Arguments after `npm start --` go to Electron. For tests:
//   START_SKIP_BUILD=1                launch what dist/ already holds
//   START_ELECTRON_PACKAGE_DIR=<dir>  use that copy of the electron package (see electron-binary.ts)
//   START_DOWNLOAD_TIMEOUT_SECONDS    bound on the first-run download (default 30 minutes: ~100 MB)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  ElectronDownloadError,
  downloadElectron,
  electronPackageDir,
  electronVersion,
  howToGetElectron,
  locateElectron,
  type ElectronLocation,
} from './electron-binary.js';

const root = resolve(import.meta.dirname, '..');

function downloadTimeoutMs(env: NodeJS.ProcessEnv): number {
  const raw = env.START_DOWNLOAD_TIMEOUT_SECONDS;
  if (raw === undefined || raw === '') return 30 * 60_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('START_DOWNLOAD_TIMEOUT_SECONDS must be a positive number of seconds');
  return seconds * 1000;
}

function whyNot(location: Exclude<ElectronLocation, { kind: 'found' }>): string {
  switch (location.kind) {
    case 'missing':
      return `${location.variable} is set, but there is no Electron executable at ${location.expected}.`;
    case 'no-package':
      return 'The electron package is not installed: run `npm install` first.';
    case 'unsupported-platform':
      return `Electron has no builds for this platform (${location.platform}).`;
    case 'not-installed':
      return 'The Electron download finished, but no Electron executable is in the package.';
  }
}

/** Runs Electron with the terminal attached; resolves with its exit code. */
function launch(executable: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((done) => {
    const child = spawn(executable, args, { stdio: 'inherit', env, windowsHide: false });
    // Ctrl+C reaches Electron through the terminal; a kill of this script alone is passed on.
    const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, forward(signal));
    child.on('error', (error) => {
      console.error(`Could not start Electron (${executable}): ${error.message}`);
      done(1);
    });
    child.on('close', (code, signal) => {
      if (code === null) console.error(`Electron exited with signal ${signal}`);
      done(code ?? 1);
    });
  });
}

async function main(): Promise<number> {
  // Taken before the build: Vite sets NODE_ENV=production in this process, and the app must not inherit it.
  const env = { ...process.env };
  const packageDir = electronPackageDir(env);
  const locate = () => locateElectron({ env, platform: process.platform, packageDir, exists: existsSync });
  let location = locate();
  const howTo = () => howToGetElectron(packageDir ? electronVersion(packageDir) : '45');

  if (location.kind === 'not-installed') {
    const version = electronVersion(location.packageDir);
    console.log(`Electron ${version} is not downloaded yet: downloading it now (once; about 100 MB)…`);
    try {
      await downloadElectron({
        packageDir: location.packageDir,
        env,
        timeoutMs: downloadTimeoutMs(env),
        onWaiting: (ms) => console.log(`  still downloading Electron (${Math.round(ms / 1000)} s)…`),
      });
    } catch (error) {
      if (!(error instanceof ElectronDownloadError)) throw error;
      console.error(`\n${error.message}\n\n${howTo()}`);
      return 1;
    }
    location = locate();
    if (location.kind === 'found') console.log(`Electron ${version} downloaded.`);
  }
  if (location.kind !== 'found') {
    console.error(`${whyNot(location)}\n\n${howTo()}`);
    return 1;
  }

  if (env.START_SKIP_BUILD !== '1') {
    const { build, BuildError } = await import('./build.js');
    try {
      await build();
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      console.error(error.message);
      return 1;
    }
  }
  return launch(location.executable, [root, ...process.argv.slice(2)], env);
}

process.exit(await main());
