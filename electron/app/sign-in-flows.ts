// Sign-in flows as strategies (DESIGN.md): each flow is one object (id, label, the stage the UI shows,
// whether it can run here, how to run it), and one pure function chooses the ordered fallback chain (as
// VS Code's microsoft-authentication chooses its flows). The controller walks the chain and stops at
// the first success, at a user cancel, or at an error that no later flow can fix (shouldFallBack).
import { InteractionRequiredAuthError } from '../core/index.js';
import type { AuthenticationResult, DeviceCodeInfo, DeviceCodeRequest } from '../core/index.js';
import type { FlowId } from '../../shared/views.js';

// The wire's flow ids (shared/views.ts flowIdSchema) are the one declaration; this is the same type.
export type { FlowId };
export type UserChoice = 'auto' | FlowId;

/** What decides whether a flow can run for this sign-in. */
export interface FlowEnvironment {
  /** IWA is switched on (configuration, or the sign-in menu for this run). */
  iwaEnabled: boolean;
  deviceCodeEnabled: boolean;
  /** A window can be shown (false on a headless host or when the shell has no display). */
  canOpenWindow: boolean;
}

export interface FlowRequest {
  scopes: string[];
}

export interface SignInFlow {
  readonly id: FlowId;
  /** For the activity log: "The sign-in window did not work; trying Device code sign-in". */
  readonly label: string;
  /** What the sign-in progress shows while this flow runs. */
  readonly stage: string;
  /** Whether the flow can run here at all; `auto` leaves out the flows that cannot. */
  isAvailable(env: FlowEnvironment): boolean;
  run(request: FlowRequest, signal: AbortSignal): Promise<AuthenticationResult>;
}

/**
 * The chain for a sign-in request, from `flows` in their order of preference (IWA first: it shows no UI):
 *  - auto: every available flow, in that order;
 *  - the user picked IWA: IWA (the explicit pick overrides its on/off switch), then the window if it can
 *    be shown (IWA fails quietly: no ticket, no Negotiate);
 *  - the user picked the window or device code: just that, if available (empty: the controller reports it).
 */
export function chooseFlows<F extends Pick<SignInFlow, 'id' | 'isAvailable'>>(flows: readonly F[], env: FlowEnvironment, choice: UserChoice): F[] {
  const available = (id: FlowId): F[] => flows.filter((f) => f.id === id && f.isAvailable(env));
  switch (choice) {
    case 'auto':
      return flows.filter((f) => f.isAvailable(env));
    case 'iwa':
      return [...flows.filter((f) => f.id === 'iwa'), ...available('window')];
    case 'window':
    case 'device-code':
      return available(choice);
  }
}

/**
 * Whether the next flow in the chain is worth trying after `flow` failed with an error of this code.
 * IWA failing always hands over to an interactive flow. The window hands over to device code only when
 * it could not reach the authority (the machine may still sign in on another device); a cancel, a
 * timeout or an IdP's refusal is the user's or the IdP's answer, and repeating it elsewhere helps nobody.
 */
export function shouldFallBack(flow: FlowId, error: { name?: string; code?: string }): boolean {
  if (error.code === 'user_cancelled') return false;
  if (flow === 'iwa') return true;
  if (flow === 'window') return error.name === 'NetworkError' || error.code === 'window_load_failed';
  return false;
}

// ---- the three flows -------------------------------------------------------------------------------

export interface IwaEngine {
  acquireTokenByIntegratedWindowsAuth?: (request: { scopes: string[]; username?: string; signal?: AbortSignal }) => Promise<AuthenticationResult>;
}

export function iwaFlow(engine: IwaEngine): SignInFlow {
  return {
    id: 'iwa',
    label: 'Windows / Kerberos sign-in',
    stage: 'Signing in with your Windows / Kerberos session…',
    isAvailable: (env) => env.iwaEnabled,
    run: (request, signal) => {
      const iwa = engine.acquireTokenByIntegratedWindowsAuth;
      // Not having IWA at all is one more way for it to fail quietly: the chain goes on to the window.
      if (!iwa) return Promise.reject(new InteractionRequiredAuthError('iwa_unavailable', 'Integrated Windows Authentication is not available'));
      return iwa.call(engine, { scopes: request.scopes, signal });
    },
  };
}

/** The login window: `signInInteractively` is the controller's (it owns the window and its events). */
export function windowFlow(signInInteractively: (request: FlowRequest, signal: AbortSignal) => Promise<AuthenticationResult>): SignInFlow {
  return {
    id: 'window',
    label: 'The sign-in window',
    stage: 'Waiting for the sign-in window…',
    isAvailable: (env) => env.canOpenWindow,
    run: signInInteractively,
  };
}

export interface DeviceCodeEngine {
  acquireTokenByDeviceCode(request: DeviceCodeRequest): Promise<AuthenticationResult>;
}

/** Device code: `showCode` puts the code on screen (the controller's panel and event). */
export function deviceCodeFlow(engine: DeviceCodeEngine, showCode: (info: DeviceCodeInfo) => void): SignInFlow {
  return {
    id: 'device-code',
    label: 'Device code sign-in',
    stage: 'Waiting for you to enter the code on another device…',
    isAvailable: (env) => env.deviceCodeEnabled,
    run: (request, signal) => engine.acquireTokenByDeviceCode({ scopes: request.scopes, signal, deviceCodeCallback: showCode }),
  };
}
