// One cached access token: its API, requested vs granted scopes, expiry (absolute and live), when it
// refreshes, how the app got it, and Refresh / Copy / Call API. While offline, an expired token's
// actions that need a valid token are disabled and say why; its expiry is announced once.
import { useCallback, useEffect, useRef } from 'react';
import { formatClockTime } from '../../../shared/countdown.js';
import type { CachedTokenView, TokenSource } from '../../../shared/views.js';
import { useNow } from '../clock.js';
import { useStore } from '../use-app-store.js';
import { ExpiryCountdown } from './ExpiryCountdown.js';
import { ScopeChips } from './ScopeChips.js';

export const SOURCE_TEXT: Record<TokenSource, string> = {
  cache: 'from the token cache',
  refresh: 'silently, with the refresh token',
  interactive: 'by interactive sign-in or consent',
  device_code: 'by device code sign-in',
  iwa: 'by Windows / Kerberos sign-in',
  password: 'by username and password (not recommended)',
};

export interface RowActions {
  onRefresh: (scopes: string[], forceRefresh: boolean) => Promise<void>;
  onCopy: (scopes: string[], label: string) => Promise<void>;
  onCallApi: () => Promise<void>;
}

export function TokenRow({ row, offline, busy, onRefresh, onCopy, onCallApi }: { row: CachedTokenView; offline: boolean; busy: boolean } & RowActions) {
  const { dispatch } = useStore();
  const now = useNow();
  const label = row.apiLabel ?? row.resource;
  const expired = now >= row.expiresOn;
  const unusable = expired && offline;
  const headingId = `token-row-${row.id}`;
  const announced = useRef(false);

  useEffect(() => {
    if (unusable && !announced.current) {
      announced.current = true;
      dispatch({ type: 'status', text: `The token for ${label} expired at ${formatClockTime(row.expiresOn)} and cannot be refreshed while offline`, announce: true });
    }
    if (!unusable) announced.current = false;
  }, [unusable, label, row.expiresOn, dispatch]);

  const onDue = useCallback(() => void onRefresh(row.requestScopes, false), [onRefresh, row.requestScopes]);

  return (
    <li className={`token-row${expired ? ' token-expired' : ''}`} aria-labelledby={headingId}>
      <div className="token-row-head">
        <h3 id={headingId}>{label}</h3>
        {row.apiLabel && <code className="token-resource ellipsis" title={row.resource}>{row.resource}</code>}
      </div>
      <ScopeChips requested={row.requestedScopes ?? row.grantedScopes} granted={row.grantedScopes} />
      <ExpiryCountdown key={row.expiresOn} label={label} expiresOn={row.expiresOn} refreshOn={row.refreshOn} acquiredOn={row.cachedAt} onDue={onDue} />
      <p className="token-source">
        Got {row.source ? SOURCE_TEXT[row.source] : 'before this session'} · cached at {formatClockTime(row.cachedAt)}
      </p>
      {unusable && <p className="token-unusable">Expired: it cannot be used or refreshed until the identity provider is reachable again.</p>}
      <div className="button-row">
        <button type="button" className="button-secondary" disabled={busy} onClick={() => void onRefresh(row.requestScopes, true)} aria-label={`Refresh the ${label} token`}>
          Refresh
        </button>
        <button type="button" className="button-secondary" disabled={busy || unusable} onClick={() => void onCopy(row.requestScopes, label)} aria-label={`Copy the ${label} access token`}>
          Copy
        </button>
        {row.callable && (
          <button type="button" className="button-secondary" disabled={busy || unusable} onClick={() => void onCallApi()} aria-label={`Call API: ${label}`}>
            Call API
          </button>
        )}
      </div>
    </li>
  );
}
