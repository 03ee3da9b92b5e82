// The renderer's one dependency: `window.authApp`, typed from the IPC contract. Components get it from
// context (not the global) so tests can hand them a fake built from the same contract.
import { createContext, useContext } from 'react';
import type { AuthAppApi } from '../../shared/ipc-contract.js';

declare global {
  interface Window {
    /** Exposed by electron/preload (or the browser e2e bridge). Absent when opened in a plain browser. */
    readonly authApp?: AuthAppApi;
  }
}

export const AuthAppContext = createContext<AuthAppApi | null>(null);

export function useAuthApp(): AuthAppApi {
  const api = useContext(AuthAppContext);
  if (!api) throw new Error('useAuthApp: no AuthAppContext provider');
  return api;
}
