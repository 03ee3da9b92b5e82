import './setup-dom.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { assertAbsent, assertFocused } from './dom-assert.js';
import { renderApp } from './render-app.js';
import { NOW } from './fixtures.js';

afterEach(cleanup);

const deviceCode = {
  userCode: 'WDJB-MJHT',
  verificationUri: 'https://localhost:8443/device',
  expiresOn: NOW + 15 * 60_000,
  message: 'To sign in, open https://localhost:8443/device and enter the code WDJB-MJHT.',
};

test('the device code panel shows the code large, the link, a QR code and a live countdown', async () => {
  const { fake, clock } = renderApp();
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('deviceCode', deviceCode);
  const panel = screen.getByRole('region', { name: 'Sign in on another device' });
  assert.equal(within(panel).getByLabelText('Your code: WDJB-MJHT').textContent, 'WDJB-MJHT');
  assertFocused(within(panel).getByLabelText('Your code: WDJB-MJHT'), 'the code has focus when the panel opens');
  const link = within(panel).getByRole('link', { name: 'https://localhost:8443/device' });
  assert.equal(link.getAttribute('href'), 'https://localhost:8443/device');
  const qr = await within(panel).findByRole('img', { name: 'QR code for https://localhost:8443/device' });
  assert.match(qr.getAttribute('src') ?? '', /^data:image\/svg\+xml;/, 'a data: URL, which the CSP allows for images');
  assert.match(panel.textContent ?? '', /Code expires in 15:00/);
  await clock.advance(61_000);
  assert.match(panel.textContent ?? '', /Code expires in 13:59/);
  await clock.advance(14 * 60_000);
  assert.match(panel.textContent ?? '', /Code expired at \d\d:\d\d:\d\d/);
});

test("the device code link asks main to open the code's verification page; the app window stays", async () => {
  const { fake } = renderApp({ setup: (f) => f.respond('openVerificationUri', () => ({ opened: true })) });
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('deviceCode', deviceCode);
  const link = within(screen.getByRole('region', { name: 'Sign in on another device' })).getByRole('link', { name: 'https://localhost:8443/device' });
  assert.equal(fireEvent.click(link), false, 'the default navigation is prevented');
  assert.equal(fireEvent.click(link, { ctrlKey: true }), false, 'a modifier click too (it would open a new window)');
  assert.deepEqual(fake.callsTo('openVerificationUri'), [undefined, undefined], 'no URL from the renderer: main opens its own');
  assert.equal(link.getAttribute('target'), null);
});

test('Cancel on the device code panel cancels the sign-in; a null deviceCode event hides the panel', async () => {
  const { fake } = renderApp({ setup: (f) => f.respond('cancelSignIn', () => ({ cancelled: true })) });
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('deviceCode', deviceCode);
  fireEvent.click(within(screen.getByRole('region', { name: 'Sign in on another device' })).getByRole('button', { name: 'Cancel' }));
  await fake.emit('deviceCode', null);
  assertAbsent(screen.queryByRole('region', { name: 'Sign in on another device' }));
  assert.equal(fake.callsTo('cancelSignIn').length, 1);
});

test('a pending device code in the snapshot is shown after a reload', async () => {
  const { appState } = await import('./fixtures.js');
  renderApp({ state: appState({ deviceCode, signIn: { inProgress: true, flow: 'device-code' } }) });
  assert.ok(await screen.findByText('WDJB-MJHT'));
  assert.equal(screen.getAllByRole('button', { name: /Cancel/ }).length, 1, 'one Cancel, not two');
});

test('Copy code puts the user code (not a secret) on the clipboard', async () => {
  const written: string[] = [];
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void written.push(t) } });
  const { fake } = renderApp();
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('deviceCode', deviceCode);
  fireEvent.click(screen.getByRole('button', { name: 'Copy code' }));
  assert.ok(await screen.findByRole('button', { name: 'Copied' }));
  assert.deepEqual(written, ['WDJB-MJHT']);
});

test('Escape on the panel cancels the device code sign-in', async () => {
  const { fake } = renderApp({ setup: (f) => f.respond('cancelSignIn', () => ({ cancelled: true })) });
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('deviceCode', deviceCode);
  fireEvent.keyDown(screen.getByLabelText('Your code: WDJB-MJHT'), { key: 'Escape' });
  await screen.findByRole('button', { name: 'Sign in' });
  assert.equal(fake.callsTo('cancelSignIn').length, 1);
});

test('an expired code keeps the panel: when it expired, and "Get a new code" starts a new device code sign-in', async () => {
  const { fake } = renderApp({
    setup: (f) => {
      f.respond('signIn', () => new Promise(() => {}));
      f.respond('cancelSignIn', () => ({ cancelled: true }));
    },
  });
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('deviceCode', { ...deviceCode, expiresOn: NOW - 1000, expired: true });
  const panel = screen.getByRole('region', { name: 'Sign in on another device' });
  assert.match(panel.textContent ?? '', /Code expired at \d\d:\d\d:\d\d\./);
  assert.doesNotMatch(panel.textContent ?? '', /5 minutes/);
  assertAbsent(within(panel).queryByText('WDJB-MJHT'), 'a dead code is not offered');
  fireEvent.click(within(panel).getByRole('button', { name: 'Get a new code' }));
  assert.deepEqual(fake.callsTo('signIn'), [{ flow: 'device-code' }]);
  fireEvent.click(within(panel).getByRole('button', { name: 'Close' }));
  assert.equal(fake.callsTo('cancelSignIn').length, 1);
});
