// `npm run build`: node code with tsc, the sandboxed preload as one CommonJS file, the renderer with Vite.
// Every tool runs through Node or its JavaScript API, never through `npx` (a .cmd shim on Windows, which
// spawn cannot run without a shell).
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';
import { bundlePreload } from '../electron/preload/bundle-preload.mjs';

const root = resolve(import.meta.dirname, '..');

export class BuildError extends Error {
  override name = 'BuildError';
  readonly code = 'build_failed';
}

function typescriptCompile(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  // tsc prints its own diagnostics.
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new BuildError(`tsc failed (${result.error ? result.error.message : `exit code ${result.status ?? result.signal}`})`, { cause: result.error });
}

export async function build(): Promise<void> {
  typescriptCompile();
  await bundlePreload();
  await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
}

// Run as a script (not when start.ts imports it). Compared as real paths: argv[1] is not resolved through
// symlinks, import.meta.url is.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build();
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
