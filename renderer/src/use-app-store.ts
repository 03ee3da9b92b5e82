// Connects the reducer to window.authApp: loads the snapshot, follows events, and gives components a
// `call` helper that turns a failed IpcResult into an error banner.
import { useCallback, useEffect, useReducer } from 'react';
import type { AuthAppApi, IpcResult } from '../../shared/ipc-contract.js';
import { initialUiState, uiReducer, type UiAction, type UiState } from './app-store.js';

export interface AppStore {
  ui: UiState;
  dispatch: (action: UiAction) => void;
  /** Await a contract call; on failure show a banner (not for a user's own cancel) and return undefined. */
  call: <T>(result: Promise<IpcResult<T>>) => Promise<T | undefined>;
}

export function useAppStore(api: AuthAppApi): AppStore {
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);

  const call = useCallback(async <T,>(pending: Promise<IpcResult<T>>): Promise<T | undefined> => {
    let result: IpcResult<T>;
    try {
      result = await pending;
    } catch {
      // Only a broken bridge rejects: the contract reports errors as values.
      result = { ok: false, error: { kind: 'internal', code: 'ipc_failed', message: 'The app did not answer.', suggestedAction: 'Restart the app.' } };
    }
    if (result.ok) return result.value;
    if (result.error.kind !== 'cancelled') dispatch({ type: 'error', error: result.error });
    return undefined;
  }, []);

  useEffect(() => {
    // Subscribe first, then load: an event that races the snapshot is then never lost.
    // A stateChanged that arrives before the snapshot's answer is newer than it: keep the event's.
    let sawStateEvent = false;
    const offs = [
      api.on('stateChanged', (state) => {
        sawStateEvent = true;
        dispatch({ type: 'state', state });
      }),
      api.on('signInProgress', (progress) => dispatch({ type: 'progress', progress })),
      api.on('deviceCode', (deviceCode) => dispatch({ type: 'deviceCode', deviceCode })),
      api.on('activity', (entry) => dispatch({ type: 'activity', entry })),
    ];
    let live = true;
    void call(api.getState()).then((state) => {
      if (live && state && !sawStateEvent) dispatch({ type: 'state', state });
    });
    return () => {
      live = false;
      for (const off of offs) off();
    };
  }, [api, call]);

  return { ui, dispatch, call };
}
