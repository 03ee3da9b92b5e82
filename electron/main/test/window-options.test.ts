import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLoginWindowModal, LOGIN_PARTITION, MAIN_WINDOW_SIZE } from '../window-options.js';
import { certificateVerdict } from '../certificate-policy.js';

test('the login partition is in-memory; the main window works from 800×600', () => {
  const partition: string = LOGIN_PARTITION;
  assert.ok(partition !== '' && !partition.startsWith('persist:'), 'no "persist:" prefix, and not the default session');
  assert.deepEqual([MAIN_WINDOW_SIZE.minWidth, MAIN_WINDOW_SIZE.minHeight], [800, 600]);
});

test('the local IdP certificate is trusted only for its host and exact fingerprint', () => {
  const pins = [{ host: 'localhost', fingerprint: 'sha256/AAAA' }];
  assert.equal(certificateVerdict({ hostname: 'localhost', fingerprint: 'sha256/AAAA' }, pins), 0);
  assert.equal(certificateVerdict({ hostname: 'localhost', fingerprint: 'sha256/BBBB' }, pins), -3, 'another cert: Chromium decides');
  assert.equal(certificateVerdict({ hostname: 'login.microsoftonline.com', fingerprint: 'sha256/AAAA' }, pins), -3);
  assert.equal(certificateVerdict({ hostname: 'localhost', fingerprint: 'sha256/AAAA' }, []), -3);
});

test('the login window is modal to the app window, except on macOS (a sheet has no title bar or close button)', () => {
  assert.equal(isLoginWindowModal('linux', true), true);
  assert.equal(isLoginWindowModal('win32', true), true);
  assert.equal(isLoginWindowModal('darwin', true), false);
  assert.equal(isLoginWindowModal('linux', false), false, 'no parent, no modality');
});
