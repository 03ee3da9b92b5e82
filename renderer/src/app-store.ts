// The renderer's state: the latest snapshot from main plus what the UI keeps itself (activity log,
// error banners, each account's token table, the offline state, the status line, where focus goes
// next). A pure reducer so the rules (newest first, caps, de-duplication, offline) are easy to test.
import { formatClockTime } from '../../shared/countdown.js';
import type { ActivityEntry, AppState, DeviceCodeView, ErrorView, SignInProgress, TokenTableView } from '../../shared/views.js';

export interface ErrorBanner {
  id: number;
  error: ErrorView;
}

/** The identity provider cannot be reached: since when, how many tries failed, the latest reason. */
export interface OfflineState {
  since: number;
  lastFailureAt: number;
  attempts: number;
  error: ErrorView;
}

/** The short line under the header; `announce` puts it in the polite live region too. */
export interface StatusMessage {
  id: number;
  text: string;
  announce: boolean;
}

export interface UiState {
  app: AppState | null;
  activity: ActivityEntry[];
  errors: ErrorBanner[];
  nextErrorId: number;
  /** Token tables by homeAccountId, from listTokens and tokensChanged. */
  tokens: Record<string, TokenTableView>;
  offline: OfflineState | null;
  status: StatusMessage | null;
  /** The element id to focus after the next render (see App's focus effect). */
  focus: { id: string; seq: number } | null;
  seq: number;
}

export type UiAction =
  | { type: 'state'; state: AppState }
  | { type: 'progress'; progress: SignInProgress }
  | { type: 'deviceCode'; deviceCode: DeviceCodeView | null }
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'error'; error: ErrorView; at: number }
  | { type: 'dismissError'; id: number }
  | { type: 'tokens'; table: TokenTableView }
  | { type: 'online' }
  | { type: 'status'; text: string; announce: boolean }
  | { type: 'focus'; id: string }
  | { type: 'focused'; seq: number };

export const MAX_ACTIVITY = 200;
export const MAX_ERRORS = 3;

export const initialUiState: UiState = { app: null, activity: [], errors: [], nextErrorId: 1, tokens: {}, offline: null, status: null, focus: null, seq: 0 };

/** Flows after which the IdP evidently answered: the app is back online. */
const NETWORK_FLOWS = new Set(['refresh', 'window', 'device-code', 'iwa']);

/** Which activity entries reach the status line, and which of them are announced. */
function statusOf(entry: ActivityEntry): { text: string; announce: boolean } | null {
  if (entry.flow === 'silent' && entry.outcome !== 'failure') return null; // a cache hit is not news
  const text = `${entry.message} · ${formatClockTime(entry.at)}`;
  if (entry.flow === 'refresh') return { text, announce: false }; // visible, but not read out every time
  if (entry.outcome === 'failure') return { text, announce: false }; // the error banner is the alert
  return { text, announce: true };
}

export function uiReducer(ui: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'state': {
      // Tables of accounts that are gone are dropped with them.
      const ids = new Set(action.state.accounts.map((a) => a.homeAccountId));
      const tokens = Object.fromEntries(Object.entries(ui.tokens).filter(([id]) => ids.has(id)));
      return { ...ui, app: action.state, tokens };
    }
    case 'progress':
      return ui.app ? { ...ui, app: { ...ui.app, signIn: action.progress } } : ui;
    case 'deviceCode':
      return ui.app ? { ...ui, app: { ...ui.app, deviceCode: action.deviceCode } } : ui;
    case 'activity': {
      if (ui.activity.some((e) => e.id === action.entry.id)) return ui;
      const activity = [action.entry, ...ui.activity].slice(0, MAX_ACTIVITY);
      const back = action.entry.outcome === 'success' && action.entry.flow !== undefined && NETWORK_FLOWS.has(action.entry.flow);
      const status = statusOf(action.entry);
      return {
        ...ui,
        activity,
        ...(back ? { offline: null } : {}),
        ...(status ? { status: { id: ui.seq + 1, ...status }, seq: ui.seq + 1 } : {}),
      };
    }
    case 'error': {
      if (action.error.kind === 'network') {
        // Not a banner: one offline state that counts the failures, so a second one visibly changes it.
        const prev = ui.offline;
        return {
          ...ui,
          offline: { since: prev?.since ?? action.at, lastFailureAt: action.at, attempts: (prev?.attempts ?? 0) + 1, error: action.error },
          status: null, // an earlier "Refreshed" would contradict it
        };
      }
      // The same error twice in a row (e.g. repeated clicks) is one banner, not a stack.
      const others = ui.errors.filter((b) => b.error.code !== action.error.code || b.error.message !== action.error.message);
      const errors = [...others, { id: ui.nextErrorId, error: action.error }].slice(-MAX_ERRORS);
      return { ...ui, errors, nextErrorId: ui.nextErrorId + 1 };
    }
    case 'dismissError':
      return { ...ui, errors: ui.errors.filter((b) => b.id !== action.id) };
    case 'tokens':
      return { ...ui, tokens: { ...ui.tokens, [action.table.homeAccountId]: action.table } };
    case 'online':
      return ui.offline ? { ...ui, offline: null } : ui;
    case 'status':
      return { ...ui, status: { id: ui.seq + 1, text: action.text, announce: action.announce }, seq: ui.seq + 1 };
    case 'focus':
      return { ...ui, focus: { id: action.id, seq: ui.seq + 1 }, seq: ui.seq + 1 };
    case 'focused':
      return ui.focus?.seq === action.seq ? { ...ui, focus: null } : ui;
  }
}
