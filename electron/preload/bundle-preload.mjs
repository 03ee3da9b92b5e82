// Bundles the preload into one CommonJS file. A sandboxed preload can `require` only `electron` and a
// few Node built-ins, so shared/ (the contract, and with it zod) must be inlined. Minified: the
// preload only reads the contract's names, yet its schemas come along (~100 KB instead of ~200 KB);
// the source map keeps stack traces readable. Used by the app build; run alone:
//   node electron/preload/bundle-preload.mjs [outfile]
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export async function bundlePreload(outfile = fileURLToPath(new URL('../../dist/electron/preload/index.cjs', import.meta.url))) {
  await build({
    entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await bundlePreload(process.argv[2]));
}
