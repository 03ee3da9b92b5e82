import type { SignInProgress } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import type { Call } from './types.js';

const FLOW_TEXT = { iwa: 'Trying Windows / Kerberos sign-in…', window: 'Waiting for you to finish in the sign-in window…', 'device-code': 'Waiting for you to enter the code on another device…' } as const;

/** While a sign-in runs: what it is waiting for, and a way out. */
export function SignInProgressBar({ progress, call }: { progress: SignInProgress; call: Call }) {
  const api = useAuthApp();
  const text = progress.stage ?? (progress.flow ? FLOW_TEXT[progress.flow] : 'Signing in…');
  return (
    <div className="banner banner-progress" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <p className="banner-message">{text}</p>
      <button type="button" className="button-secondary" onClick={() => void call(api.cancelSignIn())}>
        Cancel sign-in
      </button>
    </div>
  );
}
