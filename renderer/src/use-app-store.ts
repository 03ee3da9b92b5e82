// Connects the reducer to window.authApp: loads the snapshot, follows events, and gives components
// `call` (a failed IpcResult becomes an error banner or the offline state) and `attempt` (the caller
// handles the failure itself, e.g. a refused consent shown beside the token table).
import { createContext, useCallback, useContext, useEffect, useReducer } from 'react';
import type { AuthAppApi, IpcResult } from '../../shared/ipc-contract.js';
import type { ErrorView } from '../../shared/views.js';
import { initialUiState, uiReducer, type UiAction, type UiState } from './app-store.js';
import { ClockContext } from './clock.js';

export interface AppStore {
  ui: UiState;
  dispatch: (action: UiAction) => void;
  /** Await a contract call; on failure show it (not a user's own cancel) and return undefined. */
  call: <T>(result: Promise<IpcResult<T>>) => Promise<T | undefined>;
  /** Await a contract call and hand back the whole result: nothing is shown on failure. */
  attempt: <T>(result: Promise<IpcResult<T>>) => Promise<IpcResult<T>>;
  /** Show an error as `call` would (banner, or the offline state for a network failure). */
  report: (error: ErrorView) => void;
}

const BROKEN_BRIDGE: ErrorView = { kind: 'internal', code: 'ipc_failed', message: 'The app did not answer.', suggestedAction: 'Restart the app.' };

export function useAppStore(api: AuthAppApi): AppStore {
  const [ui, dispatch] = useReducer(uiReducer, initialUiState);
  const clock = useContext(ClockContext);

  const attempt = useCallback(async <T,>(pending: Promise<IpcResult<T>>): Promise<IpcResult<T>> => {
    try {
      return await pending;
    } catch {
      return { ok: false, error: BROKEN_BRIDGE }; // only a broken bridge rejects: errors are values
    }
  }, []);

  const report = useCallback((error: ErrorView) => {
    if (error.kind !== 'cancelled') dispatch({ type: 'error', error, at: clock.now() });
  }, [clock]);

  const call = useCallback(
    async <T,>(pending: Promise<IpcResult<T>>): Promise<T | undefined> => {
      const result = await attempt(pending);
      if (result.ok) return result.value;
      report(result.error);
      return undefined;
    },
    [attempt, report],
  );

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
      api.on('tokensChanged', (table) => dispatch({ type: 'tokens', table })),
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

  return { ui, dispatch, call, attempt, report };
}

/** The store for components below App (so they need no prop drilling for call/dispatch). */
export const AppStoreContext = createContext<AppStore | null>(null);

export function useStore(): AppStore {
  const store = useContext(AppStoreContext);
  if (!store) throw new Error('useStore: no AppStoreContext provider');
  return store;
}
