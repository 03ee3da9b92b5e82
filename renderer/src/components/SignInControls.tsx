// "Sign in" (the configured fallback chain) plus a menu for the flows a user may choose explicitly.
// The menu follows the WAI-ARIA menu button pattern: arrows move, Escape closes and returns focus.
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ConfigSummary, SignInProgress } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useStore } from '../use-app-store.js';
import { SIGN_IN_BUTTON_ID, SIGN_IN_MENU_TOGGLE_ID, useSignIn, type SignInFlow } from '../use-sign-in.js';

export function SignInControls({ config, progress, label }: { config: ConfigSummary; progress: SignInProgress; label: string }) {
  const api = useAuthApp();
  const { call } = useStore();
  const signIn = useSignIn();
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const busy = progress.inProgress;

  const items: { flow: SignInFlow; text: string; hint?: string; enabled: boolean }[] = [
    { flow: 'device-code', text: 'Sign in with a code on another device', enabled: config.deviceCodeEnabled },
    {
      flow: 'iwa',
      text: 'Use Windows / Kerberos sign-in',
      hint: config.iwaEnabled ? undefined : 'Turned off in the configuration',
      enabled: config.iwaEnabled,
    },
  ];

  useLayoutEffect(() => {
    if (open) menuRef.current?.querySelector<HTMLButtonElement>('[role^="menuitem"]:not([disabled])')?.focus();
  }, [open]);

  const start = (flow: SignInFlow, openerId: string) => {
    setOpen(false);
    void signIn(flow, openerId);
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const enabled = [...(menuRef.current?.querySelectorAll<HTMLButtonElement>('[role^="menuitem"]:not([disabled])') ?? [])];
    const index = enabled.indexOf(document.activeElement as HTMLButtonElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      setOpen(false);
      toggleRef.current?.focus();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      enabled[(index + step + enabled.length) % enabled.length]?.focus();
    }
  };

  return (
    <div className="sign-in-controls">
      <button type="button" id={SIGN_IN_BUTTON_ID} className="button-primary" disabled={busy} onClick={() => start('auto', SIGN_IN_BUTTON_ID)}>
        {label}
      </button>
      <button
        type="button"
        id={SIGN_IN_MENU_TOGGLE_ID}
        ref={toggleRef}
        className="button-secondary"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="sign-in-menu"
        disabled={busy}
        onClick={() => setOpen((o) => !o)}
      >
        Other ways to sign in ▾
      </button>
      {open && (
        <div
          id="sign-in-menu"
          role="menu"
          aria-label="Other ways to sign in"
          ref={menuRef}
          className="menu"
          onKeyDown={onMenuKey}
          onBlur={(e) => {
            // Close when focus leaves the menu (Tab, a click elsewhere), as native menus do.
            if (!e.currentTarget.contains(e.relatedTarget as Node | null) && e.relatedTarget !== toggleRef.current) setOpen(false);
          }}
        >
          {items.map((item) => (
            <button key={item.flow} type="button" role="menuitem" disabled={!item.enabled} onClick={() => start(item.flow, SIGN_IN_MENU_TOGGLE_ID)}>
              {item.text}
              {item.hint && <span className="menu-hint"> — {item.hint}</span>}
            </button>
          ))}
          <button
            type="button"
            role="menuitemcheckbox"
            aria-checked={config.iwaEnabled}
            onClick={() => {
              setOpen(false);
              toggleRef.current?.focus();
              void call(api.setIwaEnabled({ enabled: !config.iwaEnabled }));
            }}
          >
            <span className="check" aria-hidden="true">{config.iwaEnabled ? '✓' : ''}</span>
            Try Windows / Kerberos sign-in first
          </button>
        </div>
      )}
    </div>
  );
}
