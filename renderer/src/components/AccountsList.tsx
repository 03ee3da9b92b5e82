// Signed-in accounts as compact rows (as VS Code's Accounts menu): the active one pinned on top, the
// others in a list that scrolls by itself, "Sign out of all" always in view below them.
import { useState } from 'react';
import type { AccountView } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useStore } from '../use-app-store.js';
import { AccountRow } from './AccountRow.js';
import { ConfirmSignOut } from './ConfirmSignOut.js';

interface Props {
  accounts: AccountView[];
  activeAccountId: string | null;
  busy: boolean;
}

export const SIGN_OUT_ALL_ID = 'sign-out-all';

export function AccountsList({ accounts, activeAccountId, busy }: Props) {
  const api = useAuthApp();
  const { call, dispatch } = useStore();
  const [confirmingAll, setConfirmingAll] = useState(false);
  const active = accounts.find((a) => a.homeAccountId === activeAccountId);
  const others = accounts.filter((a) => a !== active);

  const signOutAll = async () => {
    const state = await call(api.signOutAll());
    if (state) dispatch({ type: 'state', state });
    setConfirmingAll(false);
    dispatch({ type: 'focus', id: 'sign-in-button' });
  };

  return (
    <section className="panel accounts" aria-labelledby="accounts-heading">
      <h2 id="accounts-heading" tabIndex={-1}>
        Accounts {accounts.length > 0 && <span className="muted">({accounts.length})</span>}
      </h2>
      {accounts.length === 0 ? (
        <p className="muted">No accounts yet. Use “Sign in” to add one.</p>
      ) : (
        <>
          {active && (
            <ul className="account-list account-list-active" aria-label="Active account">
              <AccountRow account={active} active busy={busy} />
            </ul>
          )}
          {others.length > 0 && (
            <ul className="account-list account-list-others" aria-label="Other accounts">
              {others.map((account) => (
                <AccountRow key={account.homeAccountId} account={account} active={false} busy={busy} />
              ))}
            </ul>
          )}
        </>
      )}
      {accounts.length > 1 &&
        (confirmingAll ? (
          <ConfirmSignOut
            question="Sign out of all accounts?"
            confirmText="Sign out of all"
            onConfirm={() => void signOutAll()}
            onCancel={() => {
              setConfirmingAll(false);
              dispatch({ type: 'focus', id: SIGN_OUT_ALL_ID });
            }}
          />
        ) : (
          <button type="button" id={SIGN_OUT_ALL_ID} className="button-quiet" disabled={busy} onClick={() => setConfirmingAll(true)}>
            Sign out of all
          </button>
        ))}
    </section>
  );
}
