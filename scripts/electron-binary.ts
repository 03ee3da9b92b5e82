// Finds an Electron executable WITHOUT triggering the electron package's lazy download
// (requiring 'electron' from Node downloads from GitHub, which our machines cannot reach).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const HOW_TO_GET_ELECTRON = [
  'No Electron binary is installed, so the desktop app cannot start.',
  'Get one in any of these ways, then run `npm start` again:',
  '  - on a machine that can reach GitHub: `npx install-electron` (downloads the binary into node_modules/electron/dist)',
  '  - point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an unpacked Electron 45 build',
  '  - point ELECTRON_PATH at an electron executable',
  'Everything below the Electron shell (local IdP, auth engine, encrypted cache, renderer) runs without it:',
  '`npm run idp` starts the identity provider and `npm test` exercises the rest in Chromium.',
].join('\n');

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.ELECTRON_PATH && existsSync(env.ELECTRON_PATH)) return env.ELECTRON_PATH;
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const candidate = join(distDir, relative);
  return existsSync(candidate) ? candidate : null;
}
