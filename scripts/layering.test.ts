import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { findLayeringViolations, importSpecifiers, type SourceFile } from './layering.js';

function sources(dir: string): SourceFile[] {
  return readdirSync(dir).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return /\.(ts|tsx|mts|js|mjs)$/.test(name) ? [{ path, text: readFileSync(join(path), 'utf8') }] : [];
  });
}

test('the repository respects the layering rule', () => {
  const files = ['electron', 'shared', 'idp', 'renderer'].flatMap((d) => {
    try {
      return sources(d);
    } catch {
      return [];
    }
  });
  assert.ok(files.length > 0, 'found no source files to check');
  assert.deepEqual(findLayeringViolations(files), []);
});

test('the checker catches every kind of forbidden import', () => {
  const violations = findLayeringViolations([
    { path: 'electron/core/flows/x.ts', text: `import { app } from 'electron';` },
    { path: 'idp/server.ts', text: `const e = await import('electron');` },
    { path: 'shared/contract.ts', text: `import { readFile } from 'node:fs/promises';` },
    { path: 'renderer/App.tsx', text: `import fs from 'fs';\nexport { x } from '../electron/core/index.js';` },
    { path: 'electron/core/y.ts', text: `import { z } from '../main/window.js';` },
    { path: 'renderer/ok.tsx', text: `import { scopes } from '../shared/scopes.js'; import React from 'react';` },
    { path: 'shared/views.ts', text: `import * as z from 'zod';` },
    { path: 'electron/main/index.ts', text: `import { app } from 'electron';` },
    { path: 'electron/app/controller.ts', text: `import type { ShellPorts } from '../main/controller-port.js';` },
    { path: 'electron/app/flows/window.ts', text: `export { x } from '../../preload/index.js'; import { shell } from 'electron';` },
    { path: 'electron/app/test/fake.ts', text: `import { decideLoginNavigation } from '../../main/navigation-policy.js';` },
    { path: 'electron/main/app.ts', text: `import type { ShellPorts } from '../app/ports.js';` },
  ]);
  assert.deepEqual(
    violations.map((v) => `${v.file} ${v.specifier}`),
    [
      'electron/core/flows/x.ts electron',
      'idp/server.ts electron',
      'shared/contract.ts node:fs/promises',
      'renderer/App.tsx fs',
      'renderer/App.tsx ../electron/core/index.js',
      'electron/core/y.ts ../main/window.js',
      'electron/app/controller.ts ../main/controller-port.js',
      'electron/app/flows/window.ts ../../preload/index.js',
      'electron/app/flows/window.ts electron',
    ],
  );
});

test('import specifiers include require() and re-exports', () => {
  assert.deepEqual(importSpecifiers(`const k = require('keytar'); export * from './a.js';`), ['keytar', './a.js']);
});
