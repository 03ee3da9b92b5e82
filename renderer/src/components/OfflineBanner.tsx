// The identity provider cannot be reached: since when, what failed, when the app tries again by
// itself, and "Retry now". One banner that changes with each failure (count, time), never a copy.
import { useEffect, useRef, useState } from 'react';
import { formatClockTime, formatCountdown } from '../../../shared/countdown.js';
import type { AccountView, ConfigSummary } from '../../../shared/views.js';
import type { OfflineState } from '../app-store.js';
import { useAuthApp } from '../auth-app.js';
import { useNow } from '../clock.js';
import { useStore } from '../use-app-store.js';

/** 30 s after the first failure, doubling, at most 5 minutes apart. */
export function nextRetryAt(offline: OfflineState): number {
  return offline.lastFailureAt + Math.min(30_000 * 2 ** Math.max(0, offline.attempts - 1), 300_000);
}

export function OfflineBanner({ offline, account, config }: { offline: OfflineState; account: AccountView | null; config: ConfigSummary | null }) {
  const api = useAuthApp();
  const { call } = useStore();
  const now = useNow();
  const [retrying, setRetrying] = useState(false);
  const firedFor = useRef(0);
  const retryAt = nextRetryAt(offline);
  const canRetry = account !== null && config !== null;

  const retry = async () => {
    if (!account || !config) return;
    setRetrying(true);
    // A real round trip to the IdP: success (an activity entry from the refresh) ends the offline state.
    await call(api.getToken({ homeAccountId: account.homeAccountId, scopes: config.signInScopes, forceRefresh: true }));
    setRetrying(false);
  };

  useEffect(() => {
    if (canRetry && !retrying && now >= retryAt && firedFor.current !== offline.lastFailureAt) {
      firedFor.current = offline.lastFailureAt;
      void retry();
    }
  });

  return (
    <div className="banner banner-offline" role="alert" aria-labelledby="offline-heading">
      <div className="banner-text">
        <p className="banner-message" id="offline-heading">
          Offline since {formatClockTime(offline.since)}: {offline.error.message}
        </p>
        <p className="banner-action">{offline.error.suggestedAction}</p>
        <p className="banner-codes">
          {offline.attempts === 1 ? '1 failed attempt' : `${offline.attempts} failed attempts`}, the last at {formatClockTime(offline.lastFailureAt)}.{' '}
          {canRetry &&
            (retrying ? 'Trying again now…' : `Next automatic try at ${formatClockTime(retryAt)} (in ${formatCountdown(Math.max(0, retryAt - now))}).`)}
        </p>
      </div>
      {canRetry && (
        <button type="button" className="button-secondary" disabled={retrying} onClick={() => void retry()}>
          Retry now
        </button>
      )}
    </div>
  );
}
