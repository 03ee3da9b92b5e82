// The controller's guards, one test each, against a fake engine and fake shell ports: what matters here
// is the controller's own logic (the chain walk, the single sign-in at a time, cancel, consent, quitting),
// which the tests against the real engine and IdP reach only by chance. The fake engine records every
// call, in order; every wait is bounded so a broken guard fails the test instead of hanging it.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import {
  InteractionRequiredAuthError,
  NetworkError,
  TimeoutError,
  UserCancelError,
  type AccountInfo,
  type AuthenticationResult,
  type DeviceCodeRequest,
  type InteractiveRequest,
  type SilentRequest,
} from '../../core/index.js';
import { DEFAULT_CONFIG, type AppConfig } from '../config.js';
import { DesktopAppController, type Engine } from '../controller.js';
import type { AppEvent, LoginWindowRequest, ShellPorts } from '../ports.js';

const AUTHORITY = 'https://login.example.test/contoso/v2.0';
const alice: AccountInfo = {
  homeAccountId: 'alice-oid.contoso-tid',
  environment: 'login.example.test',
  tenantId: 'contoso-tid',
  username: 'alice@contoso.example',
  localAccountId: 'alice-oid',
  tenantProfiles: new Map(),
};

function resultFor(account: AccountInfo, scopes: string[], source: AuthenticationResult['source']): AuthenticationResult {
  return {
    accessToken: 'fake-access-token-value',
    idToken: '',
    idTokenClaims: {} as AuthenticationResult['idTokenClaims'],
    expiresOn: new Date(Date.now() + 3_600_000),
    tenantId: account.tenantId,
    account,
    scopes,
    uniqueId: account.localAccountId,
    fromCache: false,
    tokenType: 'Bearer',
    correlationId: 'fake-correlation',
    source,
  };
}

/** Resolves when `signal` aborts, rejecting with its reason (as the engine reports an abort). */
const untilAborted = (signal: AbortSignal | undefined): Promise<never> =>
  new Promise((_, reject) => {
    assert.ok(signal, 'the controller passes a signal');
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

/** A promise with its resolve, for "the flow has started" hand-overs. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Bound every wait: a guard that does not hold fails here instead of hanging the run. */
function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

interface Script {
  accounts?: AccountInfo[];
  iwa?: (request: { scopes: string[]; signal?: AbortSignal }) => Promise<AuthenticationResult>;
  interactive?: (request: InteractiveRequest) => Promise<AuthenticationResult>;
  deviceCode?: (request: DeviceCodeRequest) => Promise<AuthenticationResult>;
  silent?: (request: SilentRequest) => Promise<AuthenticationResult>;
  drain?: (timeoutMs: number) => Promise<boolean>;
}

const unexpected = (method: string) => () => Promise.reject(new Error(`the fake engine was not scripted for ${method}`));

/** The controller's Engine, scripted per test; `calls` is every call in order. */
function fakeEngine(script: Script): Engine & { calls: string[] } {
  const calls: string[] = [];
  const accounts = [...(script.accounts ?? [])];
  const log = <A extends unknown[], R>(method: string, f: (...args: A) => R) => (...args: A): R => (calls.push(method), f(...args));
  // As the real cache does: an account that received tokens is signed in from then on.
  const acquire = <A extends unknown[]>(method: string, f: (...args: A) => Promise<AuthenticationResult>) =>
    log(method, async (...args: A) => {
      const result = await f(...args);
      if (result.account && !accounts.some((a) => a.homeAccountId === result.account!.homeAccountId)) accounts.push(result.account);
      return result;
    });
  return {
    calls,
    acquireTokenByIntegratedWindowsAuth: acquire('iwa', script.iwa ?? unexpected('iwa')),
    acquireTokenInteractive: acquire('interactive', script.interactive ?? unexpected('interactive')),
    acquireTokenByDeviceCode: acquire('deviceCode', script.deviceCode ?? unexpected('deviceCode')),
    acquireTokenSilent: acquire('silent', script.silent ?? unexpected('silent')),
    getAllAccounts: async () => [...accounts],
    getAccount: async (id: string) => accounts.find((a) => a.homeAccountId === id) ?? null,
    getCachedTokens: async () => ({ accessTokens: [], refreshToken: { present: false } }),
    removeAccount: log('removeAccount', async () => {}),
    signOut: log('signOut', unexpected('signOut')),
    endSession: log('endSession', unexpected('endSession')),
    drain: log('drain', script.drain ?? (async () => true)),
  };
}

function fakePorts(): ShellPorts & { windows: LoginWindowRequest[] } {
  const windows: LoginWindowRequest[] = [];
  return {
    windows,
    userDataDir: '/nonexistent',
    openLoginWindow: (request) => (windows.push(request), { close: () => {} }),
    clearLoginSession: async () => {},
    writeClipboard: async () => {},
    openExternal: async () => {},
  };
}

async function makeController(engine: Engine, options: { config?: Partial<AppConfig>; onDispose?: () => Promise<void> } = {}) {
  const events: AppEvent[] = [];
  const ports = fakePorts();
  const controller = await DesktopAppController.create({
    config: { ...DEFAULT_CONFIG, authority: AUTHORITY, ...options.config },
    engine,
    ports,
    activeAccount: { load: async () => null, save: async () => {} },
    authority: { url: AUTHORITY, origins: [new URL(AUTHORITY).origin], usesLocalIdp: false },
    ...(options.onDispose ? { onDispose: options.onDispose } : {}),
  });
  controller.subscribe((event) => events.push(event));
  return { controller, events, ports };
}

const rejection = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a rejection'), (e: unknown) => e);
const progressFlows = (events: AppEvent[]) => events.flatMap((e) => (e.name === 'signInProgress' && e.payload.inProgress ? [e.payload.flow] : []));
const activities = (events: AppEvent[]) => events.flatMap((e) => (e.name === 'activity' ? [e.payload] : []));
const allFlows = { iwa: { enabled: true }, deviceCode: { enabled: true } } satisfies Partial<AppConfig>;

test('a second sign-in while one is running is refused (sign_in_in_progress); the first goes on', async () => {
  const started = signal();
  const finish = signal();
  const engine = fakeEngine({
    interactive: async (request) => (started.resolve(), await finish.promise, resultFor(alice, request.scopes, 'interactive')),
  });
  const { controller, events } = await makeController(engine);
  const first = controller.signIn({ flow: 'window' });
  await within(started.promise, 'the first sign-in to start');

  const second = await rejection(controller.signIn({ flow: 'device-code' }));
  assert.equal(controller.describeError(second).code, 'sign_in_in_progress');
  finish.resolve();
  const done = await within(first, 'the first sign-in');
  assert.equal(done.account.homeAccountId, alice.homeAccountId);
  assert.deepEqual(engine.calls, ['interactive'], 'the refused sign-in never reached the engine');
  assert.deepEqual(progressFlows(events), ['window']);
  assert.equal(events.filter((e) => e.name === 'signInProgress').at(-1)?.payload.inProgress, false);
  await controller.dispose();
});

test('consent while a sign-in is running is refused too (sign_in_in_progress)', async () => {
  const started = signal();
  const engine = fakeEngine({
    accounts: [alice],
    interactive: (request) => (started.resolve(), untilAborted(request.signal)),
    silent: () => Promise.reject(new InteractionRequiredAuthError('interaction_required', 'The API needs consent')),
  });
  const { controller } = await makeController(engine);
  const first = rejection(controller.signIn({ flow: 'window' }));
  await within(started.promise, 'the sign-in to start');
  const consent = await rejection(controller.getToken({ homeAccountId: alice.homeAccountId, scopes: ['api://sample-api/access_as_user'], allowInteraction: true }));
  assert.equal(controller.describeError(consent).code, 'sign_in_in_progress');
  assert.deepEqual(engine.calls, ['interactive', 'silent'], 'no second window');
  await controller.cancelSignIn();
  assert.ok((await within(first, 'the cancelled sign-in')) instanceof UserCancelError);
  await controller.dispose();
});

test('a flow turned off in the configuration is refused (flow_disabled) before the engine is called', async () => {
  const engine = fakeEngine({});
  const { controller, events } = await makeController(engine, { config: { deviceCode: { enabled: false } } });
  const error = await rejection(controller.signIn({ flow: 'device-code' }));
  assert.equal(controller.describeError(error).code, 'flow_disabled');
  assert.deepEqual(engine.calls, []);
  assert.deepEqual(progressFlows(events), [], 'no progress shown for a sign-in that never started');
  // The refusal leaves no sign-in marked as running.
  assert.equal((await controller.getState()).signIn.inProgress, false);
  await controller.dispose();
});

test('when no flow succeeds, each is tried once in order and the last error is reported', async () => {
  const engine = fakeEngine({
    iwa: () => Promise.reject(new InteractionRequiredAuthError('iwa_unavailable', 'No Kerberos ticket')),
    interactive: () => Promise.reject(new NetworkError('window_load_failed', 'The sign-in page could not be loaded')),
    deviceCode: () => Promise.reject(new TimeoutError('The code was not entered in time')),
  });
  const { controller, events } = await makeController(engine, { config: allFlows });
  const error = await rejection(controller.signIn({}));
  assert.ok(error instanceof TimeoutError, `got ${String(error)}`);
  assert.deepEqual(engine.calls, ['iwa', 'interactive', 'deviceCode']);
  assert.deepEqual(progressFlows(events), ['iwa', 'window', 'device-code']);
  assert.deepEqual(
    activities(events).map((a) => [a.flow, a.outcome, a.message]),
    [
      ['iwa', 'failure', 'Windows / Kerberos sign-in did not work; trying The sign-in window'],
      ['window', 'failure', 'The sign-in window did not work; trying Device code sign-in'],
      ['device-code', 'failure', `Sign-in failed: ${controller.describeError(error).message}`],
    ],
  );
  assert.equal((await controller.getState()).signIn.inProgress, false);
  await controller.dispose();
});

for (const [what, rejectWith] of [
  ['the engine reports the abort as a cancel', (s: AbortSignal | undefined) => untilAborted(s)],
  // Even an error that would otherwise hand over to device code: the user said stop.
  ['the engine fails with a network error once aborted', (s: AbortSignal | undefined) => untilAborted(s).catch(() => Promise.reject(new NetworkError('window_load_failed', 'gone')))],
] as const) {
  test(`cancel during the second flow stops the chain: no third flow (${what})`, async () => {
    const windowStarted = signal();
    const engine = fakeEngine({
      iwa: () => Promise.reject(new InteractionRequiredAuthError('iwa_unavailable', 'No Kerberos ticket')),
      interactive: (request) => (windowStarted.resolve(), rejectWith(request.signal)),
      deviceCode: unexpected('deviceCode'),
    });
    const { controller, events } = await makeController(engine, { config: allFlows });
    const running = rejection(controller.signIn({}));
    await within(windowStarted.promise, 'the window flow to start');
    assert.deepEqual(await controller.cancelSignIn(), { cancelled: true });
    await within(running, 'the cancelled sign-in');
    assert.deepEqual(engine.calls, ['iwa', 'interactive']);
    assert.deepEqual(progressFlows(events), ['iwa', 'window']);
    assert.equal(activities(events).at(-1)?.flow, 'window');
    assert.equal((await controller.getState()).signIn.inProgress, false);
    await controller.dispose();
  });
}

test('consent for a second API: silent first, then the window with the account as login hint', async () => {
  const api = ['api://sample-api/access_as_user'];
  const engine = fakeEngine({
    accounts: [alice],
    silent: () => Promise.reject(new InteractionRequiredAuthError('interaction_required', 'The API needs consent')),
    interactive: async (request) => {
      request.openBrowser?.(`${AUTHORITY}/oauth2/v2.0/authorize?redirect_uri=${encodeURIComponent('http://127.0.0.1:50123/')}`);
      return resultFor(alice, request.scopes, 'interactive');
    },
  });
  const { controller, events, ports } = await makeController(engine);
  const interactiveRequests: InteractiveRequest[] = [];
  const original = engine.acquireTokenInteractive;
  engine.acquireTokenInteractive = (request) => (interactiveRequests.push(request), original(request));

  const token = await within(controller.getToken({ homeAccountId: alice.homeAccountId, scopes: api, allowInteraction: true }), 'the token');
  assert.deepEqual(engine.calls, ['silent', 'interactive']);
  assert.equal(interactiveRequests[0]?.loginHint, alice.username);
  assert.deepEqual(interactiveRequests[0]?.scopes, api);
  assert.equal(interactiveRequests[0]?.prompt, undefined, 'consent for the same person: no prompt=login');
  assert.equal(token.homeAccountId, alice.homeAccountId);
  assert.deepEqual(token.grantedScopes, api);
  assert.equal(ports.windows[0]?.redirectUri, 'http://127.0.0.1:50123/', 'the window admits exactly that redirect');
  assert.deepEqual(progressFlows(events), ['window']);
  assert.deepEqual(
    activities(events).map((a) => [a.flow, a.outcome]),
    [
      ['silent', 'info'],
      ['window', 'success'],
    ],
  );
  assert.ok(events.some((e) => e.name === 'tokensChanged'), 'the token table is refreshed');

  // Without allowInteraction the same answer is an error for the caller, and no window opens.
  const error = await rejection(controller.getToken({ homeAccountId: alice.homeAccountId, scopes: api }));
  assert.ok(error instanceof InteractionRequiredAuthError);
  assert.deepEqual(engine.calls, ['silent', 'interactive', 'silent']);
  await controller.dispose();
});

test('dispose during a flow aborts it, then drains the engine before onDispose', async () => {
  const started = signal();
  const order: string[] = [];
  const engine = fakeEngine({
    deviceCode: (request) => (started.resolve(), untilAborted(request.signal)),
    drain: async () => (order.push('drain'), true),
  });
  const { controller, events } = await makeController(engine, { onDispose: async () => void order.push('onDispose') });
  const running = rejection(controller.signIn({ flow: 'device-code' }));
  await within(started.promise, 'the device code flow to start');
  const eventsBefore = events.length;

  await within(controller.dispose(), 'dispose');
  const error = await within(running, 'the aborted sign-in');
  assert.ok(error instanceof UserCancelError, `got ${String(error)}`);
  assert.deepEqual(order, ['drain', 'onDispose']);
  assert.deepEqual(engine.calls, ['deviceCode', 'drain']);
  assert.equal(events.length, eventsBefore, 'no event reaches a listener after dispose');
});

test('a successful sign-in emits progress, activity, state and tokens; the next one can start', async () => {
  const engine = fakeEngine({ interactive: async (request) => resultFor(alice, request.scopes, 'interactive') });
  const { controller, events } = await makeController(engine);
  const result = await within(controller.signIn({ flow: 'window' }), 'the sign-in');
  assert.equal(result.account.username, alice.username);
  assert.deepEqual(
    events.map((e) => e.name),
    ['signInProgress', 'activity', 'stateChanged', 'tokensChanged', 'signInProgress'],
  );
  const [progress] = events;
  assert.ok(progress?.name === 'signInProgress' && progress.payload.inProgress);
  assert.equal(progress.payload.stage, 'Waiting for the sign-in window…');
  assert.deepEqual(activities(events).map((a) => [a.flow, a.outcome, a.message]), [['window', 'success', `Signed in ${alice.username}`]]);
  // The guard is released: a second sign-in is accepted (and reaches the engine).
  await within(controller.signIn({ flow: 'window' }), 'the second sign-in');
  assert.deepEqual(engine.calls, ['interactive', 'interactive']);
  await controller.dispose();
});
