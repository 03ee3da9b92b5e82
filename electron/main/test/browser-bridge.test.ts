import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { createBrowserBridge, DISPATCH_FUNCTION, INVOKE_BINDING } from '../browser-bridge.js';
import { createIpcRouter } from '../ipc-router.js';
import { isTrustedSender } from '../sender-policy.js';
import { toErrorView } from '../../../shared/error-messages.js';
import { methodNames } from '../../../shared/ipc-contract.js';
import { fakeHandlers, RENDERER_FILE, state, trusted } from './fixtures.js';

test('the init script exposes exactly the contract through the binding, and events come back', async () => {
  const handlers = fakeHandlers();
  const router = createIpcRouter({ handlers, isTrustedSender: (s) => isTrustedSender(s, trusted), describeError: () => toErrorView({ kind: 'internal', code: 'x' }) });
  // A stand-in page: a vm context as `window`, the binding as Playwright would install it.
  const page: Record<string, unknown> = {};
  const bridge = createBrowserBridge({
    router,
    dispatch: (event, payload) => (page[DISPATCH_FUNCTION] as (e: string, p: unknown) => void)(event, payload),
  });
  page[INVOKE_BINDING] = (method: unknown, request: unknown) => bridge.invoke({ url: RENDERER_FILE, isMainFrame: true }, method, request);
  page.window = page;
  vm.runInNewContext(bridge.initScript, page);

  const authApp = page.authApp as Record<string, (...a: unknown[]) => Promise<unknown>> & { on: Function };
  assert.deepEqual(Object.keys(authApp).filter((k) => k !== 'on').sort(), [...methodNames].sort());
  assert.ok(Object.isFrozen(authApp));
  assert.deepEqual(await authApp.getState!(), { ok: true, value: state });

  const received: unknown[] = [];
  const off = authApp.on('stateChanged', (p: unknown) => received.push(p));
  bridge.publish('stateChanged', state);
  off();
  bridge.publish('stateChanged', state);
  assert.deepEqual(received, [state]);
  assert.throws(() => authApp.on('nope', () => {}), /unknown event/);
});
