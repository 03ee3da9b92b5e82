import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InteractionRequiredAuthError, type AuthenticationResult, type DeviceCodeRequest } from '../../core/index.js';
import { chooseFlows, deviceCodeFlow, iwaFlow, shouldFallBack, windowFlow, type FlowEnvironment, type SignInFlow } from '../sign-in-flows.js';

const never = () => Promise.reject(new Error('not run in these tests'));
// The controller's three flows, in its order; only their ids and availability matter to the selector.
const flows: SignInFlow[] = [iwaFlow({}), windowFlow(never), deviceCodeFlow({ acquireTokenByDeviceCode: never }, () => undefined)];
const everything: FlowEnvironment = { iwaEnabled: true, deviceCodeEnabled: true, canOpenWindow: true };
const ids = (chain: readonly SignInFlow[]) => chain.map((f) => f.id);

test('auto tries IWA first, then the window, then device code', () => {
  assert.deepEqual(ids(chooseFlows(flows, everything, 'auto')), ['iwa', 'window', 'device-code']);
});

test('auto leaves out what the configuration turns off', () => {
  assert.deepEqual(ids(chooseFlows(flows, { ...everything, iwaEnabled: false }, 'auto')), ['window', 'device-code']);
  assert.deepEqual(ids(chooseFlows(flows, { ...everything, iwaEnabled: false, deviceCodeEnabled: false }, 'auto')), ['window']);
});

test('without a display, auto goes straight from IWA to device code', () => {
  assert.deepEqual(ids(chooseFlows(flows, { ...everything, canOpenWindow: false }, 'auto')), ['iwa', 'device-code']);
});

test('an explicit choice is honoured; IWA still falls back to the window', () => {
  assert.deepEqual(ids(chooseFlows(flows, everything, 'device-code')), ['device-code']);
  assert.deepEqual(ids(chooseFlows(flows, everything, 'window')), ['window']);
  assert.deepEqual(ids(chooseFlows(flows, { ...everything, iwaEnabled: false, deviceCodeEnabled: false }, 'iwa')), ['iwa', 'window']);
});

test('a chosen flow that is not available gives an empty chain (the controller reports it)', () => {
  assert.deepEqual(ids(chooseFlows(flows, { ...everything, deviceCodeEnabled: false }, 'device-code')), []);
  assert.deepEqual(ids(chooseFlows(flows, { ...everything, canOpenWindow: false }, 'window')), []);
});

test('the chain keeps the order the flows are given in, and returns the flow objects themselves', () => {
  const reversed = [...flows].reverse();
  const chain = chooseFlows(reversed, everything, 'auto');
  assert.deepEqual(ids(chain), ['device-code', 'window', 'iwa']);
  assert.equal(chain[0], reversed[0]);
});

test('every flow has its own label and stage for the UI', () => {
  assert.equal(new Set(flows.map((f) => f.label)).size, 3);
  assert.equal(new Set(flows.map((f) => f.stage)).size, 3);
});

test('IWA on an engine without it fails as interaction required, so the chain goes on', async () => {
  await assert.rejects(iwaFlow({}).run({ scopes: ['openid'] }, new AbortController().signal), (e) => e instanceof InteractionRequiredAuthError && e.code === 'iwa_unavailable');
});

test('device code hands the engine the scopes, the signal and the code callback', async () => {
  const seen: DeviceCodeRequest[] = [];
  const shown: string[] = [];
  const result = { accessToken: 'x' } as AuthenticationResult;
  const flow = deviceCodeFlow(
    {
      acquireTokenByDeviceCode: async (request) => {
        seen.push(request);
        request.deviceCodeCallback({ userCode: 'ABCD', verificationUri: 'https://login.example/device', expiresIn: 900, interval: 5, message: 'Go there' });
        return result;
      },
    },
    (info) => shown.push(info.userCode),
  );
  const signal = new AbortController().signal;
  assert.equal(await flow.run({ scopes: ['openid', 'profile'] }, signal), result);
  assert.deepEqual(seen[0]?.scopes, ['openid', 'profile']);
  assert.equal(seen[0]?.signal, signal);
  assert.deepEqual(shown, ['ABCD']);
});

test('fallback: IWA always hands over, except on cancel', () => {
  assert.equal(shouldFallBack('iwa', { name: 'InteractionRequiredAuthError', code: 'interaction_required' }), true);
  assert.equal(shouldFallBack('iwa', { name: 'UserCancelError', code: 'user_cancelled' }), false);
});

test('fallback: the window hands over to device code only when the authority was unreachable', () => {
  assert.equal(shouldFallBack('window', { name: 'NetworkError', code: 'network_error' }), true);
  assert.equal(shouldFallBack('window', { name: 'UserCancelError', code: 'user_cancelled' }), false);
  assert.equal(shouldFallBack('window', { name: 'TimeoutError', code: 'timed_out' }), false);
  assert.equal(shouldFallBack('window', { name: 'ServerError', code: 'access_denied' }), false);
  assert.equal(shouldFallBack('device-code', { name: 'NetworkError', code: 'network_error' }), false);
});
