// Signed-in accounts: who, which tenant (guest or home), which one is active; switch and remove.
// Removal asks first, inline, with focus on the safe choice so Enter does not delete by accident.
import { useEffect, useRef, useState } from 'react';
import type { AccountView, AppState } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import type { Call } from './types.js';

interface Props {
  accounts: AccountView[];
  activeAccountId: string | null;
  busy: boolean;
  call: Call;
  onState: (state: AppState) => void;
}

export function AccountsList({ accounts, activeAccountId, busy, call, onState }: Props) {
  const api = useAuthApp();
  const [confirming, setConfirming] = useState<string | 'all' | null>(null);

  const headingRef = useRef<HTMLHeadingElement>(null);
  const [acted, setActed] = useState(0);

  useEffect(() => {
    // After an action re-rendered the list, the button that had focus may be gone (a removed
    // account): keep keyboard users in this list instead of dropping them at the top of the page.
    if (acted > 0 && (!document.activeElement || document.activeElement === document.body)) headingRef.current?.focus();
  }, [acted]);

  const act = async (pending: ReturnType<typeof api.getState>) => {
    const state = await call(pending);
    if (state) onState(state);
    setConfirming(null);
    setActed((n) => n + 1);
  };

  return (
    <section className="panel accounts" aria-labelledby="accounts-heading">
      <h2 id="accounts-heading" ref={headingRef} tabIndex={-1}>
        Accounts
      </h2>
      {accounts.length === 0 ? (
        <p className="muted">No accounts yet. Use “Sign in” to add one.</p>
      ) : (
        <ul className="account-list">
          {accounts.map((account) => {
            const active = account.homeAccountId === activeAccountId;
            return (
              <li key={account.homeAccountId} className={active ? 'account active' : 'account'} aria-current={active ? 'true' : undefined}>
                <span className="avatar" aria-hidden="true">{account.initials}</span>
                <div className="account-text">
                  <span className="account-name">
                    {account.name || account.username}
                    {active && <span className="badge badge-active">Active</span>}
                    {account.isGuest && <span className="badge badge-guest" title={`Home tenant: ${account.homeTenantId}`}>Guest</span>}
                  </span>
                  <span className="account-username">{account.username}</span>
                  <span className="account-tenant">Tenant <code>{account.tenantId}</code></span>
                </div>
                {confirming === account.homeAccountId ? (
                  <ConfirmRemove
                    question={`Remove ${account.username}?`}
                    confirmText="Remove"
                    onConfirm={() => void act(api.removeAccount({ homeAccountId: account.homeAccountId }))}
                    onCancel={() => setConfirming(null)}
                  />
                ) : (
                  <div className="account-actions">
                    {!active && (
                      <button type="button" className="button-secondary" disabled={busy} onClick={() => void act(api.switchAccount({ homeAccountId: account.homeAccountId }))} aria-label={`Switch to ${account.username}`}>
                        Switch
                      </button>
                    )}
                    <button type="button" className="button-quiet" disabled={busy} onClick={() => setConfirming(account.homeAccountId)} aria-label={`Remove ${account.username}`}>
                      Remove
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {accounts.length > 1 &&
        (confirming === 'all' ? (
          <ConfirmRemove question="Sign out of all accounts?" confirmText="Sign out of all" onConfirm={() => void act(api.signOutAll())} onCancel={() => setConfirming(null)} />
        ) : (
          <button type="button" className="button-quiet" disabled={busy} onClick={() => setConfirming('all')}>
            Sign out of all
          </button>
        ))}
    </section>
  );
}

function ConfirmRemove({ question, confirmText, onConfirm, onCancel }: { question: string; confirmText: string; onConfirm: () => void; onCancel: () => void }) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => cancelRef.current?.focus(), []);
  return (
    <div className="confirm" role="group" aria-label={question} onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <span>{question}</span>
      <button type="button" className="button-danger" onClick={onConfirm}>
        {confirmText}
      </button>
      <button type="button" ref={cancelRef} className="button-secondary" onClick={onCancel}>
        Keep
      </button>
    </div>
  );
}
