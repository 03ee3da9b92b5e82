// Builds `window.authApp` from the contract and a transport: the preload passes ipcRenderer, tests pass
// fakes. Iterating `methodNames`/`eventNames` is what keeps the exposed surface exactly the contract's.
import { eventNames, isEventName, methodNames, type AuthAppApi, type EventName, type IpcResult, type MethodName } from './ipc-contract.js';

export interface AuthAppTransport {
  invoke(method: MethodName, request: unknown): Promise<IpcResult<unknown>>;
  /** Returns the unsubscribe function. */
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

export function buildAuthApp(transport: AuthAppTransport): AuthAppApi {
  const api: Record<string, unknown> = {};
  for (const name of methodNames) {
    // One argument at most, whatever the caller passes: extra arguments never reach main.
    api[name] = (request?: unknown) => transport.invoke(name, request);
  }
  api.on = (event: unknown, listener: unknown) => {
    if (!isEventName(event)) throw new TypeError(`authApp.on: unknown event ${String(event)} (known: ${eventNames.join(', ')})`);
    if (typeof listener !== 'function') throw new TypeError('authApp.on: listener must be a function');
    return transport.subscribe(event, (payload) => (listener as (p: unknown) => void)(payload));
  };
  return Object.freeze(api) as unknown as AuthAppApi;
}
