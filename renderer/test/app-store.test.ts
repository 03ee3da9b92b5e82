import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initialUiState, MAX_ACTIVITY, MAX_ERRORS, uiReducer } from '../src/app-store.js';
import { appState } from './fixtures.js';
import type { ErrorView } from '../../shared/views.js';

const err = (code: string): ErrorView => ({ kind: 'server', code, message: `m-${code}`, suggestedAction: 'a' });

test('activity is newest first, de-duplicated by id, capped', () => {
  let ui = initialUiState;
  for (let i = 0; i < MAX_ACTIVITY + 5; i++) ui = uiReducer(ui, { type: 'activity', entry: { id: String(i), at: i, message: 'x', outcome: 'info' } });
  ui = uiReducer(ui, { type: 'activity', entry: { id: String(MAX_ACTIVITY + 4), at: 0, message: 'dup', outcome: 'info' } });
  assert.equal(ui.activity.length, MAX_ACTIVITY);
  assert.equal(ui.activity[0]?.id, String(MAX_ACTIVITY + 4));
  assert.equal(ui.activity[0]?.message, 'x');
});

test('the same error twice is one banner; at most a few banners', () => {
  let ui = initialUiState;
  ui = uiReducer(ui, { type: 'error', error: err('a'), at: 1 });
  ui = uiReducer(ui, { type: 'error', error: err('a'), at: 2 });
  assert.equal(ui.errors.length, 1);
  for (const c of ['b', 'c', 'd', 'e']) ui = uiReducer(ui, { type: 'error', error: err(c), at: 3 });
  assert.deepEqual(ui.errors.map((b) => b.error.code), ['c', 'd', 'e'].slice(-MAX_ERRORS));
  ui = uiReducer(ui, { type: 'dismissError', id: ui.errors[0]!.id });
  assert.deepEqual(ui.errors.map((b) => b.error.code), ['d', 'e']);
});

test('progress and device code events update the snapshot; ignored before it is loaded', () => {
  assert.equal(uiReducer(initialUiState, { type: 'progress', progress: { inProgress: true } }), initialUiState);
  let ui = uiReducer(initialUiState, { type: 'state', state: appState() });
  ui = uiReducer(ui, { type: 'progress', progress: { inProgress: true, flow: 'device-code' } });
  ui = uiReducer(ui, { type: 'deviceCode', deviceCode: { userCode: 'A', verificationUri: 'https://x/', expiresOn: 1, message: 'm' } });
  assert.deepEqual(ui.app?.signIn, { inProgress: true, flow: 'device-code' });
  assert.equal(ui.app?.deviceCode?.userCode, 'A');
});

test('network failures are one offline state that counts attempts (no banner); a refresh that succeeds ends it', () => {
  const net: ErrorView = { kind: 'network', code: 'connection_refused', message: 'refused', suggestedAction: 'wait' };
  let ui = uiReducer(initialUiState, { type: 'status', text: 'Refreshed', announce: false });
  ui = uiReducer(ui, { type: 'error', error: net, at: 100 });
  ui = uiReducer(ui, { type: 'error', error: net, at: 200 });
  assert.deepEqual(ui.offline, { since: 100, lastFailureAt: 200, attempts: 2, error: net });
  assert.equal(ui.errors.length, 0);
  assert.equal(ui.status, null, 'a stale "Refreshed" note goes');
  ui = uiReducer(ui, { type: 'activity', entry: { id: 'x', at: 300, message: 'Token from the cache', outcome: 'success', flow: 'silent' } });
  assert.notEqual(ui.offline, null, 'a cache hit proves nothing about the IdP');
  ui = uiReducer(ui, { type: 'activity', entry: { id: 'y', at: 400, message: 'refreshed', outcome: 'success', flow: 'refresh' } });
  assert.equal(ui.offline, null);
});
