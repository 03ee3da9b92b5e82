// The preload: exposes `window.authApp` — exactly the contract's methods and events, nothing else —
// by iterating the contract (shared/auth-app-client.ts). No per-method code: a new contract entry
// appears here by itself. Runs sandboxed, so it is bundled to one CommonJS file with only `electron`
// left external (see bundle-preload.mjs). Raw ipcRenderer is never exposed: the page could otherwise
// send on any channel.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildAuthApp } from '../../shared/auth-app-client.js';
import { eventChannel, methodChannel, type IpcResult } from '../../shared/ipc-contract.js';

const authApp = buildAuthApp({
  invoke: (method, request) => ipcRenderer.invoke(methodChannel(method), request) as Promise<IpcResult<unknown>>,
  subscribe(event, listener) {
    // Drop Electron's event object: it carries `sender`, which must not reach the page.
    const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(eventChannel(event), handler);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), handler);
    };
  },
});

contextBridge.exposeInMainWorld('authApp', authApp);
