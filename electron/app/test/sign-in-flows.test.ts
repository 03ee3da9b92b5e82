import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { chooseFlows, shouldFallBack } from '../sign-in-flows.js';

const everything = { iwaEnabled: true, deviceCodeEnabled: true };
const withWindow = { canOpenWindow: true };

test('auto tries IWA first, then the window, then device code', () => {
  assert.deepEqual(chooseFlows(everything, withWindow, 'auto'), ['iwa', 'window', 'device-code']);
});

test('auto leaves out what the configuration turns off', () => {
  assert.deepEqual(chooseFlows({ iwaEnabled: false, deviceCodeEnabled: true }, withWindow, 'auto'), ['window', 'device-code']);
  assert.deepEqual(chooseFlows({ iwaEnabled: false, deviceCodeEnabled: false }, withWindow, 'auto'), ['window']);
});

test('without a display, auto goes straight from IWA to device code', () => {
  assert.deepEqual(chooseFlows(everything, { canOpenWindow: false }, 'auto'), ['iwa', 'device-code']);
});

test('an explicit choice is honoured; IWA still falls back to the window', () => {
  assert.deepEqual(chooseFlows(everything, withWindow, 'device-code'), ['device-code']);
  assert.deepEqual(chooseFlows(everything, withWindow, 'window'), ['window']);
  assert.deepEqual(chooseFlows({ iwaEnabled: false, deviceCodeEnabled: false }, withWindow, 'iwa'), ['iwa', 'window']);
});

test('device code chosen while disabled gives an empty chain (the controller reports it)', () => {
  assert.deepEqual(chooseFlows({ iwaEnabled: false, deviceCodeEnabled: false }, withWindow, 'device-code'), []);
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
