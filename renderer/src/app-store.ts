// The renderer's state: the latest snapshot from main plus what the UI keeps itself (activity log,
// error banners). A pure reducer so the rules (newest first, caps, de-duplication) are easy to test.
import type { ActivityEntry, AppState, DeviceCodeView, ErrorView, SignInProgress } from '../../shared/views.js';

export interface ErrorBanner {
  id: number;
  error: ErrorView;
}

export interface UiState {
  app: AppState | null;
  activity: ActivityEntry[];
  errors: ErrorBanner[];
  nextErrorId: number;
}

export type UiAction =
  | { type: 'state'; state: AppState }
  | { type: 'progress'; progress: SignInProgress }
  | { type: 'deviceCode'; deviceCode: DeviceCodeView | null }
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'error'; error: ErrorView }
  | { type: 'dismissError'; id: number };

export const MAX_ACTIVITY = 200;
export const MAX_ERRORS = 3;

export const initialUiState: UiState = { app: null, activity: [], errors: [], nextErrorId: 1 };

export function uiReducer(ui: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'state':
      return { ...ui, app: action.state };
    case 'progress':
      return ui.app ? { ...ui, app: { ...ui.app, signIn: action.progress } } : ui;
    case 'deviceCode':
      return ui.app ? { ...ui, app: { ...ui.app, deviceCode: action.deviceCode } } : ui;
    case 'activity':
      if (ui.activity.some((e) => e.id === action.entry.id)) return ui;
      return { ...ui, activity: [action.entry, ...ui.activity].slice(0, MAX_ACTIVITY) };
    case 'error': {
      // The same error twice in a row (e.g. repeated clicks while offline) is one banner, not a stack.
      const others = ui.errors.filter((b) => b.error.code !== action.error.code || b.error.message !== action.error.message);
      const errors = [...others, { id: ui.nextErrorId, error: action.error }].slice(-MAX_ERRORS);
      return { ...ui, errors, nextErrorId: ui.nextErrorId + 1 };
    }
    case 'dismissError':
      return { ...ui, errors: ui.errors.filter((b) => b.id !== action.id) };
  }
}
