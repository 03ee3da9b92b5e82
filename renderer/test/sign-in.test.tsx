import './setup-dom.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { assertAbsent, assertFocused } from './dom-assert.js';
import { renderApp } from './render-app.js';
import { alice, appState, tokenView } from './fixtures.js';

afterEach(cleanup);

test('"Sign in" runs the configured chain: signIn with no flow', async () => {
  const { fake } = renderApp({ setup: (f) => f.respond('signIn', () => ({ account: alice, token: tokenView() })) });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
  await screen.findByRole('button', { name: 'Sign in' });
  assert.deepEqual(fake.callsTo('signIn'), [undefined]);
  assert.deepEqual(fake.violations, []);
});

test('the sign-in menu is keyboard operable and picks the device code flow', async () => {
  const { fake } = renderApp({ setup: (f) => f.respond('signIn', () => ({ account: alice, token: tokenView() })) });
  const toggle = await screen.findByRole('button', { name: /Other ways to sign in/ });
  assert.equal(toggle.getAttribute('aria-expanded'), 'false');
  fireEvent.click(toggle);
  assert.equal(toggle.getAttribute('aria-expanded'), 'true');
  const menu = screen.getByRole('menu');
  const deviceItem = within(menu).getByRole('menuitem', { name: 'Sign in with a code on another device' });
  assertFocused(deviceItem, 'focus moves into the menu');
  const iwaItem = within(menu).getByRole('menuitem', { name: /Windows \/ Kerberos/ }) as HTMLButtonElement;
  assert.ok(iwaItem.disabled, 'IWA is off in this configuration');
  assert.match(iwaItem.textContent ?? '', /Turned off in the configuration/);

  fireEvent.keyDown(menu, { key: 'Escape' });
  assertAbsent(screen.queryByRole('menu'));
  assertFocused(toggle, 'Escape returns focus to the button');

  fireEvent.click(toggle);
  fireEvent.click(screen.getByRole('menuitem', { name: 'Sign in with a code on another device' }));
  assertAbsent(screen.queryByRole('menu'));
  await screen.findByRole('button', { name: 'Sign in' });
  assert.deepEqual(fake.callsTo('signIn'), [{ flow: 'device-code' }]);
});

test('Windows / Kerberos sign-in is offered when IWA is enabled', async () => {
  const state = appState();
  state.config.iwaEnabled = true;
  const { fake } = renderApp({ state, setup: (f) => f.respond('signIn', () => ({ account: alice, token: tokenView() })) });
  fireEvent.click(await screen.findByRole('button', { name: /Other ways to sign in/ }));
  fireEvent.click(screen.getByRole('menuitem', { name: 'Use Windows / Kerberos sign-in' }));
  await screen.findByRole('button', { name: 'Sign in' });
  assert.deepEqual(fake.callsTo('signIn'), [{ flow: 'iwa' }]);
});

test('while signing in: a clear in-progress state with Cancel, and the sign-in buttons disabled', async () => {
  const { fake } = renderApp({ setup: (f) => f.respond('cancelSignIn', () => ({ cancelled: true })) });
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('signInProgress', { inProgress: true, flow: 'window', startedAt: 1 });
  assert.ok(screen.getByText('Waiting for you to finish in the sign-in window…'));
  assert.ok((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled);
  fireEvent.click(screen.getByRole('button', { name: 'Cancel sign-in' }));
  await fake.emit('signInProgress', { inProgress: false });
  assertAbsent(screen.queryByRole('button', { name: 'Cancel sign-in' }));
  assert.equal(fake.callsTo('cancelSignIn').length, 1);
});

test('a failed sign-in shows a readable banner with the IdP code and a suggested action; dismissable', async () => {
  const { fake } = renderApp({
    setup: (f) =>
      f.fail('signIn', {
        kind: 'server',
        code: 'server_error',
        message: 'The identity provider could not be reached.',
        suggestedAction: 'Check your network connection and try again.',
        serverCode: 'AADSTS50076',
        correlationId: 'corr-42',
      }),
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
  const alert = await screen.findByRole('alert');
  assert.match(alert.textContent ?? '', /could not be reached/);
  assert.match(alert.textContent ?? '', /Check your network connection/);
  assert.match(alert.textContent ?? '', /AADSTS50076/, 'the codes, behind the Details disclosure');
  assert.match(alert.textContent ?? '', /corr-42/);
  fireEvent.click(within(alert).getByRole('button', { name: /Dismiss/ }));
  assertAbsent(screen.queryByRole('alert'));
  assert.deepEqual(fake.violations, []);
});

test('a sign-in the user cancelled is not shown as an error', async () => {
  const { fake } = renderApp({
    setup: (f) => f.fail('signIn', { kind: 'cancelled', code: 'user_cancelled', message: 'Sign-in was cancelled.', suggestedAction: '' }),
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign in' }));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(fake.callsTo('signIn').length, 1);
  assertAbsent(screen.queryByRole('alert'));
});

test('a memory-only token store is explained to the user', async () => {
  renderApp({ state: appState({ persistence: { state: 'memory-only', warnings: [{ code: 'keychain_unavailable', message: 'No Secret Service.', at: 1 }] } }) });
  const notice = await screen.findByText(/kept in memory only/);
  assert.match(notice.closest('[role="status"]')?.textContent ?? '', /No Secret Service\. keychain_unavailable/);
});

test('the sign-in menu switches Windows / Kerberos sign-in on for this run', async () => {
  const on = appState();
  on.config.iwaEnabled = true;
  const { fake } = renderApp({ setup: (f) => f.respond('setIwaEnabled', () => on) });
  fireEvent.click(await screen.findByRole('button', { name: /Other ways to sign in/ }));
  const toggle = screen.getByRole('menuitemcheckbox', { name: 'Try Windows / Kerberos sign-in first' });
  assert.equal(toggle.getAttribute('aria-checked'), 'false');
  fireEvent.click(toggle);
  await fake.emit('stateChanged', on); // the controller announces the new state
  fireEvent.click(await screen.findByRole('button', { name: /Other ways to sign in/ }));
  assert.equal(screen.getByRole('menuitemcheckbox', { name: /Kerberos sign-in first/ }).getAttribute('aria-checked'), 'true');
  assert.equal((screen.getByRole('menuitem', { name: 'Use Windows / Kerberos sign-in' }) as HTMLButtonElement).disabled, false);
  assert.deepEqual(fake.callsTo('setIwaEnabled'), [{ enabled: true }]);
  assert.deepEqual(fake.violations, []);
});
