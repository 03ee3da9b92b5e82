// `npm run build`: node code with tsc, the sandboxed preload as one CommonJS file, the renderer with Vite.
import { spawnSync } from 'node:child_process';
import { bundlePreload } from '../electron/preload/bundle-preload.mjs';

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npx', ['tsc', '-p', 'tsconfig.build.json']);
await bundlePreload();
run('npx', ['vite', 'build', '--logLevel', 'warn']);
