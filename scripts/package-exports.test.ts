// After `npm run build`, the engine is importable from plain Node ESM through the package's own name
// (package.json "exports" → ./core), as issue 3 promises people who copy it.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';

const root = resolve(import.meta.dirname, '..');
const built = existsSync(resolve(root, 'dist/electron/core/index.js'));

test('`import … from "entra-desktop-sample/core"` works from plain Node ESM', { skip: built ? false : 'run `npm run build` first (CI does)' }, () => {
  const script = `import { PublicClientApplication, InteractionRequiredAuthError, createKeychainPersistence } from 'entra-desktop-sample/core';
    console.log([typeof PublicClientApplication.create, typeof InteractionRequiredAuthError, typeof createKeychainPersistence].join(','));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'function,function,function');
});
