import type { SignInProgress } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useStore } from '../use-app-store.js';

const FLOW_TEXT = { iwa: 'Trying Windows / Kerberos sign-in…', window: 'Waiting for you to finish in the sign-in window…', 'device-code': 'Waiting for you to enter the code on another device…' } as const;

/** While a sign-in runs (other than device code, whose panel has its own Cancel): what it waits for, and a way out. */
export function SignInProgressBar({ progress }: { progress: SignInProgress }) {
  const api = useAuthApp();
  const { call } = useStore();
  const text = progress.stage ?? (progress.flow ? FLOW_TEXT[progress.flow] : 'Signing in…');
  return (
    <div className="banner banner-progress">
      <span className="spinner" aria-hidden="true" />
      <p className="banner-message" role="status">{text}</p>
      <button type="button" className="button-secondary" onClick={() => void call(api.cancelSignIn())}>
        Cancel sign-in
      </button>
    </div>
  );
}
