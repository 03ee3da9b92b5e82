// Bundles the real preload exactly as the app does (CommonJS, electron external) and runs it against a
// fake `electron` module: proves it bundles, exposes exactly the contract, and wires the channels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { bundlePreload } from '../bundle-preload.mjs';
import { eventChannel, methodChannel, methodNames } from '../../../shared/ipc-contract.js';

test('the bundled preload exposes exactly the contract via contextBridge and nothing of ipcRenderer', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'preload-'));
  try {
    const code = await readFile(await bundlePreload(join(dir, 'index.cjs')), 'utf8');
    const exposed = new Map<string, Record<string, unknown>>();
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: {
        invoke: async (...args: unknown[]) => (invoked.push(args), { ok: true, value: 'answer' }),
        on: (channel: string, l: (...a: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
        removeListener: (channel: string, l: (...a: unknown[]) => void) => listeners.get(channel)?.delete(l),
      },
    };
    const required: string[] = [];
    const require = (name: string) => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require, module, exports: module.exports, console });

    assert.deepEqual(required, ['electron']);
    assert.deepEqual([...exposed.keys()], ['authApp']);
    const api = exposed.get('authApp')!;
    assert.deepEqual(Object.keys(api).sort(), [...methodNames, 'on'].sort());

    assert.deepEqual(await (api.getToken as Function)({ homeAccountId: 'a', scopes: [] }), { ok: true, value: 'answer' });
    assert.deepEqual(invoked, [[methodChannel('getToken'), { homeAccountId: 'a', scopes: [] }]]);

    const got: unknown[] = [];
    const off = (api.on as Function)('activity', (...args: unknown[]) => got.push(args));
    const [listener] = listeners.get(eventChannel('activity'))!;
    listener!({ sender: 'the IpcRendererEvent' }, { id: '1' });
    assert.deepEqual(got, [[{ id: '1' }]], 'the page gets the payload only, never the event with its sender');
    off();
    assert.equal(listeners.get(eventChannel('activity'))!.size, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
