// `npm run build`: node code with tsc, the sandboxed preload as one CommonJS file, the renderer with Vite.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npx', ['tsc', '-p', 'tsconfig.build.json']);

if (existsSync('electron/preload/index.ts')) {
  // A sandboxed preload cannot be an ES module nor load sibling files: bundle it to one .cjs.
  await build({
    entryPoints: ['electron/preload/index.ts'],
    outfile: 'dist/electron/preload/index.cjs',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    logLevel: 'warning',
  });
}

if (existsSync('renderer/index.html')) run('npx', ['vite', 'build', '--logLevel', 'warn']);
