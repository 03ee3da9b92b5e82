// One account in one compact row: avatar, name and username (cut with an ellipsis, the full text in
// the tooltip and to screen readers), tenant by name, Switch and Sign out.
import { useState } from 'react';
import type { AccountView } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useStore } from '../use-app-store.js';
import { ConfirmSignOut } from './ConfirmSignOut.js';
import { TenantLabel } from './TenantLabel.js';

export const signOutButtonId = (account: AccountView) => `sign-out-${account.homeAccountId}`;

export function AccountRow({ account, active, busy }: { account: AccountView; active: boolean; busy: boolean }) {
  const api = useAuthApp();
  const { call, dispatch, ui } = useStore();
  const idpHost = hostOf(ui.app?.config.authority);
  const [confirming, setConfirming] = useState(false);
  const name = account.name || account.username;

  const switchTo = async () => {
    const state = await call(api.switchAccount({ homeAccountId: account.homeAccountId }));
    if (state) dispatch({ type: 'state', state });
    dispatch({ type: 'focus', id: 'token-heading' });
  };
  const signOut = async ({ endIdpSession }: { endIdpSession: boolean }) => {
    const state = await call(api.removeAccount({ homeAccountId: account.homeAccountId, ...(endIdpSession ? { endIdpSession } : {}) }));
    if (state) dispatch({ type: 'state', state });
    setConfirming(false);
    dispatch({ type: 'focus', id: 'accounts-heading' });
  };

  return (
    <li className={active ? 'account active' : 'account'} aria-current={active ? 'true' : undefined}>
      <span className="avatar" aria-hidden="true">{account.initials}</span>
      <div className="account-text">
        <span className="account-name-line">
          <span className="account-name ellipsis" title={name}>
            {name}
          </span>
          {active && <span className="badge badge-active">Active</span>}
        </span>
        <span className="account-username ellipsis" title={account.username}>{account.username}</span>
        <TenantLabel account={account} />
      </div>
      {confirming ? (
        <ConfirmSignOut
          question={`Sign out ${account.username}?`}
          confirmText="Sign out"
          {...(idpHost ? { idpHost } : {})}
          onConfirm={(options) => void signOut(options)}
          onCancel={() => {
            setConfirming(false);
            dispatch({ type: 'focus', id: signOutButtonId(account) });
          }}
        />
      ) : (
        <div className="account-actions">
          {!active && (
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void switchTo()} aria-label={`Switch to ${account.username}`}>
              Switch
            </button>
          )}
          <button type="button" id={signOutButtonId(account)} className="button-quiet" disabled={busy} onClick={() => setConfirming(true)} aria-label={`Sign out ${account.username}`}>
            Sign out
          </button>
        </div>
      )}
    </li>
  );
}

function hostOf(authority: string | undefined): string | undefined {
  if (!authority) return undefined;
  try {
    return new URL(authority).host;
  } catch {
    return undefined;
  }
}
