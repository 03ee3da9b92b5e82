// The renderer receives views already checked by main: it validates nothing, so the validator (zod)
// must not ride along in its bundle. It would through any runtime import of shared/views.ts (the
// schemas are built when the module loads), e.g. a constant defined beside them. esbuild's metafile
// says which modules contribute bytes after tree-shaking, in about a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

test('the renderer bundle carries no zod: validation is main’s job', async () => {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['renderer/src/main.tsx'],
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    jsx: 'automatic',
    outdir: 'out',
    logLevel: 'silent',
  });
  const js = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.js'));
  assert.ok(js, 'esbuild wrote a JavaScript bundle');
  const contributing = Object.entries(js[1].inputs).filter(([, input]) => input.bytesInOutput > 0).map(([file]) => file);
  assert.ok(contributing.includes('shared/error-messages.ts'), 'the bundle is the real renderer (it explains error codes)');
  assert.deepEqual(contributing.filter((file) => file.includes('node_modules/zod/') || file === 'shared/views.ts' || file === 'shared/validation.ts'), []);
});
