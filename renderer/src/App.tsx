// The app's one screen: header with sign-in and a status line, banners (errors, offline, storage),
// the device code while one is pending, accounts beside the active account's tokens, and the
// (collapsible) activity log. Focus requests from anywhere land here, after the render that shows
// the element they name.
import { useLayoutEffect } from 'react';
import { useAuthApp } from './auth-app.js';
import { AppStoreContext, useAppStore } from './use-app-store.js';
import { AccountsList } from './components/AccountsList.js';
import { ActivityLog } from './components/ActivityLog.js';
import { DeviceCodePanel } from './components/DeviceCodePanel.js';
import { EmptyTokenPanel } from './components/EmptyTokenPanel.js';
import { ErrorBanners } from './components/ErrorBanners.js';
import { OfflineBanner } from './components/OfflineBanner.js';
import { PersistenceNotice } from './components/PersistenceNotice.js';
import { SignInControls } from './components/SignInControls.js';
import { SignInProgressBar } from './components/SignInProgressBar.js';
import { SkipLink } from './components/SkipLink.js';
import { StatusLine } from './components/StatusLine.js';
import { TokenPanel } from './components/TokenPanel.js';

export function App() {
  const api = useAuthApp();
  const store = useAppStore(api);
  const { ui, dispatch } = store;
  const app = ui.app;
  const active = app?.accounts.find((a) => a.homeAccountId === app.activeAccountId) ?? null;

  // A layout effect, so focus moves in the commit that shows its target: a passive effect runs a task
  // later, and a screen reader (or anything observing the DOM) would meet the new page with focus on <body>.
  useLayoutEffect(() => {
    if (!ui.focus) return;
    const element = document.getElementById(ui.focus.id);
    if (!element) return; // not rendered yet: the next render tries again
    element.focus();
    dispatch({ type: 'focused', seq: ui.focus.seq });
  });

  return (
    <AppStoreContext.Provider value={store}>
      <div className="app">
        <SkipLink />
        <header className="app-header">
          <h1>Entra ID desktop sample</h1>
          {app && <SignInControls config={app.config} progress={app.signIn} label={app.accounts.length > 0 ? 'Add account' : 'Sign in'} />}
          <StatusLine status={ui.status} />
        </header>
        <ErrorBanners errors={ui.errors} onDismiss={(id) => dispatch({ type: 'dismissError', id })} />
        {ui.offline && <OfflineBanner offline={ui.offline} account={active} config={app?.config ?? null} />}
        {app && <PersistenceNotice persistence={app.persistence} />}
        {app?.signIn.inProgress && !app.deviceCode && <SignInProgressBar progress={app.signIn} />}
        {app?.deviceCode && <DeviceCodePanel deviceCode={app.deviceCode} />}
        {!app ? (
          <p className="loading" role="status">Loading…</p>
        ) : (
          <main className="app-main">
            <AccountsList accounts={app.accounts} activeAccountId={app.activeAccountId} busy={app.signIn.inProgress} />
            {active ? (
              <TokenPanel key={active.homeAccountId} account={active} config={app.config} table={ui.tokens[active.homeAccountId] ?? null} offline={ui.offline !== null} />
            ) : (
              <EmptyTokenPanel config={app.config} />
            )}
          </main>
        )}
        <ActivityLog entries={ui.activity} />
      </div>
    </AppStoreContext.Provider>
  );
}
