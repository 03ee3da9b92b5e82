// The app's one screen: header with sign-in, banners, device code (while one is pending), accounts on
// the left, the active account's token on the right, the activity log below.
import { useAuthApp } from './auth-app.js';
import { useAppStore } from './use-app-store.js';
import { AccountsList } from './components/AccountsList.js';
import { ActivityLog } from './components/ActivityLog.js';
import { DeviceCodePanel } from './components/DeviceCodePanel.js';
import { ErrorBanners } from './components/ErrorBanners.js';
import { PersistenceNotice } from './components/PersistenceNotice.js';
import { SignInControls } from './components/SignInControls.js';
import { SignInProgressBar } from './components/SignInProgressBar.js';
import { TokenPanel } from './components/TokenPanel.js';

export function App() {
  const api = useAuthApp();
  const { ui, dispatch, call } = useAppStore(api);
  const app = ui.app;
  const active = app?.accounts.find((a) => a.homeAccountId === app.activeAccountId) ?? null;

  return (
    <div className="app">
      <header className="app-header">
        <h1>Entra ID desktop sample</h1>
        {app && <SignInControls config={app.config} progress={app.signIn} call={call} label={app.accounts.length > 0 ? 'Add account' : 'Sign in'} />}
      </header>
      <ErrorBanners errors={ui.errors} onDismiss={(id) => dispatch({ type: 'dismissError', id })} />
      {app && <PersistenceNotice persistence={app.persistence} />}
      {app?.signIn.inProgress && <SignInProgressBar progress={app.signIn} call={call} />}
      {app?.deviceCode && <DeviceCodePanel deviceCode={app.deviceCode} call={call} />}
      {!app ? (
        <p className="loading" role="status">Loading…</p>
      ) : (
        <main className="app-main">
          <AccountsList
            accounts={app.accounts}
            activeAccountId={app.activeAccountId}
            busy={app.signIn.inProgress}
            call={call}
            onState={(state) => dispatch({ type: 'state', state })}
          />
          {active ? (
            <TokenPanel key={active.homeAccountId} account={active} config={app.config} call={call} />
          ) : (
            <section className="panel token-panel empty" aria-labelledby="token-heading">
              <h2 id="token-heading">Token</h2>
              <p>Sign in to see the tokens this app gets for you.</p>
            </section>
          )}
        </main>
      )}
      <ActivityLog entries={ui.activity} />
    </div>
  );
}
