// The same `window.authApp` as the preload exposes, for the built renderer running in a plain browser
// page (browser e2e tests): calls travel through a Playwright binding into the same IpcRouter the
// Electron shell uses, events come back through page.evaluate. No Playwright import here, so the
// bridge is tested with fakes; wiring it to a page is three lines:
//
//   const bridge = createBrowserBridge({ router, dispatch: (e, p) => page.evaluate(([e, p]) => (window as any).__authAppDispatch(e, p), [e, p] as const) });
//   await page.exposeBinding(bridge.bindingName, (source, method, request) =>
//     bridge.invoke({ url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() }, method, request));
//   await page.addInitScript(bridge.initScript);
//   controller.subscribe((e) => bridge.publish(e.name, e.payload));
import { eventNames, methodNames, type EventName, type IpcResult, type PayloadOf } from '../../shared/ipc-contract.js';
import { createEventPublisher, type IpcRouter } from './ipc-router.js';
import type { SenderInfo } from './sender-policy.js';

export const INVOKE_BINDING = '__authAppInvoke';
export const DISPATCH_FUNCTION = '__authAppDispatch';

/**
 * Page script (runs before the renderer's own scripts) defining a frozen `window.authApp` whose
 * methods are exactly the contract's and which forward to the binding. Plain JS: it runs in the page.
 */
export function browserBridgeInitScript(): string {
  return `(() => {
  const methods = ${JSON.stringify(methodNames)};
  const events = ${JSON.stringify(eventNames)};
  const listeners = new Map(events.map((name) => [name, new Set()]));
  const invoke = window[${JSON.stringify(INVOKE_BINDING)}];
  const api = {};
  for (const name of methods) api[name] = (request) => invoke(name, request);
  api.on = (event, listener) => {
    const set = listeners.get(event);
    if (!set) throw new TypeError('authApp.on: unknown event ' + String(event));
    if (typeof listener !== 'function') throw new TypeError('authApp.on: listener must be a function');
    const wrapped = (payload) => listener(payload);
    set.add(wrapped);
    return () => { set.delete(wrapped); };
  };
  Object.defineProperty(window, ${JSON.stringify(DISPATCH_FUNCTION)}, {
    value: (event, payload) => { for (const l of listeners.get(event) ?? []) l(payload); },
  });
  Object.defineProperty(window, 'authApp', { value: Object.freeze(api), enumerable: true });
})();`;
}

export interface BrowserBridge {
  readonly bindingName: string;
  readonly initScript: string;
  invoke(sender: SenderInfo, method: unknown, request: unknown): Promise<IpcResult<unknown>>;
  publish<E extends EventName>(event: E, payload: PayloadOf<E>): void;
}

export function createBrowserBridge(options: {
  router: IpcRouter;
  /** Deliver a validated event to the page (page.evaluate calling window.__authAppDispatch). */
  dispatch(event: EventName, payload: unknown): Promise<unknown> | void;
  onInvalidEvent?(report: { event: string; issues: string[] }): void;
}): BrowserBridge {
  const publish = createEventPublisher((event, payload) => {
    // A page that navigated away or closed just misses the event, as a closed Electron window would.
    void Promise.resolve(options.dispatch(event, payload)).catch(() => {});
  }, options.onInvalidEvent);
  return {
    bindingName: INVOKE_BINDING,
    initScript: browserBridgeInitScript(),
    invoke: (sender, method, request) => options.router.handle(typeof method === 'string' ? method : '', sender, request),
    publish,
  };
}
