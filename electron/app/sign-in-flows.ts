// Sign-in flows as an ordered fallback chain, chosen by one pure function (as VS Code's
// microsoft-authentication chooses its flows): the controller walks the chain and stops at the first
// success, at a user cancel, or at an error that no later flow can fix.

export type FlowId = 'iwa' | 'window' | 'device-code';
export type UserChoice = 'auto' | FlowId;

export interface FlowConfig {
  iwaEnabled: boolean;
  deviceCodeEnabled: boolean;
}

export interface FlowEnvironment {
  /** A window can be shown (false on a headless host or when the shell has no display). */
  canOpenWindow: boolean;
}

/**
 * The chain for a sign-in request:
 *  - auto: IWA when enabled (no UI, so it goes first), then the login window, then device code;
 *  - the user picked IWA: IWA, then the window if it fails (IWA fails quietly: no ticket, no Negotiate);
 *  - the user picked the window or device code: just that.
 */
export function chooseFlows(config: FlowConfig, env: FlowEnvironment, choice: UserChoice): FlowId[] {
  const window: FlowId[] = env.canOpenWindow ? ['window'] : [];
  const deviceCode: FlowId[] = config.deviceCodeEnabled ? ['device-code'] : [];
  switch (choice) {
    case 'device-code':
      return deviceCode;
    case 'window':
      return window;
    case 'iwa':
      return ['iwa', ...window];
    case 'auto':
      return [...(config.iwaEnabled ? (['iwa'] as FlowId[]) : []), ...window, ...deviceCode];
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
