import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { scanElectronApp, stageAppSources } from './electronegativity.js';

const root = resolve(import.meta.dirname, '..');
const electronVersion = JSON.parse(await readFile(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version as string;

test('Electronegativity finds nothing in the app (reviewed findings are annotated where they occur)', { timeout: 120_000 }, async () => {
  const staged = await stageAppSources(root);
  try {
    const { findings, errors } = await scanElectronApp(staged.folder, electronVersion);
    assert.deepEqual(errors, [], 'every file parsed');
    assert.deepEqual(findings, []);
  } finally {
    await staged.remove();
  }
});

test('the gate does fail: an insecure window is reported', { timeout: 120_000 }, async () => {
  const folder = await mkdtemp(join(tmpdir(), 'electronegativity-bad-'));
  try {
    await mkdir(join(folder, 'main'));
    await writeFile(
      join(folder, 'main', 'window.js'),
      `const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false } });\n`,
    );
    const { findings } = await scanElectronApp(folder, electronVersion);
    const ids = new Set(findings.map((f) => f.id));
    assert.ok(ids.has('NODE_INTEGRATION_JS_CHECK'), `found: ${[...ids].join(', ')}`);
    assert.ok(ids.has('CONTEXT_ISOLATION_JS_CHECK'), `found: ${[...ids].join(', ')}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
