// Starting a sign-in, and where focus goes when it ends: to the new account's tokens on success, to
// the "Get a new code" button when a device code expired, else back to the control that started it.
import { useCallback } from 'react';
import { useAuthApp } from './auth-app.js';
import { useStore } from './use-app-store.js';

export type SignInFlow = 'auto' | 'device-code' | 'iwa';

export const SIGN_IN_BUTTON_ID = 'sign-in-button';
export const SIGN_IN_MENU_TOGGLE_ID = 'sign-in-menu-toggle';
export const NEW_DEVICE_CODE_ID = 'device-code-new';

export function useSignIn(): (flow: SignInFlow, openerId: string) => Promise<void> {
  const api = useAuthApp();
  const { attempt, report, dispatch } = useStore();
  return useCallback(
    async (flow, openerId) => {
      const result = await attempt(api.signIn(flow === 'auto' ? undefined : { flow }));
      if (result.ok) {
        dispatch({ type: 'focus', id: 'token-heading' });
      } else if (result.error.code === 'expired_token') {
        // The device code panel stays and says so; no banner repeating it.
        dispatch({ type: 'focus', id: NEW_DEVICE_CODE_ID });
      } else {
        report(result.error);
        dispatch({ type: 'focus', id: openerId });
      }
    },
    [api, attempt, report, dispatch],
  );
}
