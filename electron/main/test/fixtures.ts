// Contract-valid sample views and fake handlers for the main-process tests.
import type { Handlers } from '../../../shared/ipc-contract.js';
import type { AppState, TokenView } from '../../../shared/views.js';

export const RENDERER_FILE = 'file:///opt/app/resources/app.asar/dist/renderer/index.html';
export const trusted = { origins: ['http://localhost:5173'], fileUrls: [RENDERER_FILE] };

export const state: AppState = {
  accounts: [],
  activeAccountId: null,
  persistence: { state: 'encrypted', warnings: [] },
  config: {
    authority: 'https://localhost:8443/tenant',
    clientId: 'desktop',
    protocolMode: 'entra',
    signInScopes: ['User.Read'],
    apis: [],
    iwaEnabled: false,
    deviceCodeEnabled: true,
    usesLocalIdp: true,
  },
  signIn: { inProgress: false },
  deviceCode: null,
};

export const token: TokenView = {
  homeAccountId: 'uid.utid',
  requestedScopes: ['User.Read'],
  grantedScopes: ['User.Read'],
  expiresOn: 2_000_000,
  source: 'cache',
  fromCache: true,
  idTokenClaims: { name: 'Alice' },
  accessTokenMasked: 'eyJh…1234 (900 chars)',
};

const notUsed = async (): Promise<never> => {
  throw new Error('not used in this test');
};

/** Handlers that record their calls; override the ones a test needs. */
export function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers & { calls: [string, unknown][] } {
  const calls: [string, unknown][] = [];
  const base: Handlers = {
    getState: async () => state,
    signIn: notUsed,
    cancelSignIn: async () => ({ cancelled: true }),
    openVerificationUri: async () => ({ opened: true }),
    getToken: async () => token,
    listTokens: notUsed,
    switchAccount: notUsed,
    removeAccount: notUsed,
    signOutAll: async () => state,
    setIwaEnabled: notUsed,
    copyAccessToken: async () => ({ copied: true }),
    callSampleApi: notUsed,
    ...overrides,
  };
  const recorded = Object.fromEntries(
    Object.entries(base).map(([name, fn]) => [name, async (req: unknown) => (calls.push([name, req]), (fn as (r: unknown) => Promise<unknown>)(req))]),
  ) as unknown as Handlers;
  return Object.assign(recorded, { calls });
}
