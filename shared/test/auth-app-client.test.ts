import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildAuthApp } from '../auth-app-client.js';
import { methodNames } from '../ipc-contract.js';

test('buildAuthApp exposes exactly the contract methods plus on(), forwarding one argument', async () => {
  const invoked: unknown[] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  const api = buildAuthApp({
    invoke: async (method, request) => (invoked.push([method, request]), { ok: true, value: null }),
    subscribe: (event, listener) => (listeners.set(event, listener), () => listeners.delete(event)),
  });
  assert.deepEqual(Object.keys(api).sort(), [...methodNames, 'on'].sort());
  assert.ok(Object.isFrozen(api));
  await (api.getToken as (...a: unknown[]) => Promise<unknown>)({ homeAccountId: 'a', scopes: [] }, 'extra argument');
  assert.deepEqual(invoked, [['getToken', { homeAccountId: 'a', scopes: [] }]]);

  const got: unknown[] = [];
  const off = api.on('activity', (p) => got.push(p));
  listeners.get('activity')!({ id: '1' });
  off();
  assert.equal(listeners.size, 0);
  assert.deepEqual(got, [{ id: '1' }]);
  assert.throws(() => api.on('secret' as never, () => {}), /unknown event/);
});
