import './setup-dom.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderApp } from './render-app.js';
import { alice, appState, NOW, tokenView } from './fixtures.js';
import type { FakeAuthApp } from './fake-auth-app.js';

afterEach(cleanup);

const signedIn = appState({ accounts: [alice], activeAccountId: alice.homeAccountId });

function chipTexts(region: HTMLElement): (string | null)[] {
  return within(within(region).getByRole('list', { name: 'Scopes' })).getAllByRole('listitem').map((li) => li.textContent);
}

async function panel() {
  return screen.findByRole('region', { name: 'Token for Alice Smith' });
}

test('the active account gets a token for the default scopes, shown as requested vs granted chips', async () => {
  const { fake } = renderApp({ state: signedIn, setup: (f) => f.respond('getToken', () => tokenView()) });
  const region = await panel();
  const chips = await within(region).findByRole('list', { name: 'Scopes' });
  const texts = within(chips).getAllByRole('listitem').map((li) => li.textContent);
  assert.deepEqual(texts, ['user.read (granted)', 'Calendars.Read (requested, not granted) ✗', 'openid (granted, not requested) +']);
  assert.deepEqual(fake.callsTo('getToken'), [{ homeAccountId: alice.homeAccountId, scopes: ['User.Read'] }]);
  assert.deepEqual(fake.violations, []);
});

test('source, from-cache, the masked token and the opaque-token note; never a raw token', async () => {
  renderApp({ state: signedIn, setup: (f) => f.respond('getToken', () => tokenView()) });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  assert.match(region.textContent ?? '', /Source.*cache.*Came silently, from the token cache/);
  assert.match(region.textContent ?? '', /From cacheYes/);
  assert.match(region.textContent ?? '', /Access tokens are opaque to this app/);
});

test('ID token claims as a table, with times readable', async () => {
  renderApp({ state: signedIn, setup: (f) => f.respond('getToken', () => tokenView()) });
  const table = await screen.findByRole('table', { name: 'ID token claims' });
  const rows = within(table).getAllByRole('row').slice(1).map((r) => within(r).getByRole('rowheader').textContent);
  assert.deepEqual(rows, ['exp', 'name', 'preferred_username', 'roles', 'tid']);
  assert.match(within(table).getByRole('row', { name: /^exp/ }).textContent ?? '', new RegExp(`${NOW / 1000 + 3600} \\(`));
  assert.match(within(table).getByRole('row', { name: /^roles/ }).textContent ?? '', /\["Reader"\]/);
});

test('expiry counts down live with a progress bar, and refreshOn is shown', async () => {
  const { clock } = renderApp({ state: signedIn, setup: (f) => f.respond('getToken', () => tokenView()) });
  const region = await panel();
  await within(region).findByText('1:00:00');
  const bar = within(region).getByRole('progressbar', { name: 'Token lifetime left' });
  assert.equal(bar.getAttribute('aria-valuenow'), '100');
  await clock.advance(15 * 60_000);
  assert.ok(within(region).getByText('45:00'));
  assert.equal(bar.getAttribute('aria-valuenow'), '75');
  assert.match(region.textContent ?? '', /Refreshes from/);
});

test('when the countdown reaches refreshOn the panel asks again, silently, and shows the new token', async () => {
  let n = 0;
  const { fake, clock } = renderApp({
    state: signedIn,
    setup: (f) =>
      f.respond('getToken', () => {
        n += 1;
        return n === 1
          ? tokenView()
          : tokenView({ source: 'refresh', fromCache: false, acquiredOn: NOW + 1800_000, expiresOn: NOW + 1800_000 + 3600_000, refreshOn: NOW + 3600_000, accessTokenMasked: 'eyJh…NEW1 (1024 chars)' });
      }),
  });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  await clock.advance(1800_000 - 1000);
  assert.equal(fake.callsTo('getToken').length, 1, 'not before refreshOn');
  await clock.advance(1000);
  await within(region).findByText('eyJh…NEW1 (1024 chars)');
  const calls = fake.callsTo('getToken');
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1], { homeAccountId: alice.homeAccountId, scopes: ['User.Read'] }, 'silent: no forceRefresh, no interaction');
  await clock.advance(1000);
  assert.equal(fake.callsTo('getToken').length, 2, 'asks once per due moment, not every tick');
});

test('Force refresh asks for forceRefresh with the current scopes', async () => {
  const { fake } = renderApp({ state: signedIn, setup: (f) => f.respond('getToken', (r) => tokenView(r.forceRefresh ? { source: 'refresh', fromCache: false } : {})) });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  fireEvent.click(within(region).getByRole('button', { name: 'Force refresh' }));
  await within(region).findByText(/Refreshed: a new access token/);
  assert.deepEqual(fake.callsTo('getToken')[1], { homeAccountId: alice.homeAccountId, scopes: ['User.Read'], forceRefresh: true });
  assert.match(region.textContent ?? '', /From cacheNo/);
});

test('"Get token for…" another API allows interaction and says whether consent was needed', async () => {
  const { fake } = renderApp({
    state: signedIn,
    setup: (f: FakeAuthApp) =>
      f.respond('getToken', (r) =>
        r.scopes[0] === 'api://sample-api/Items.Read'
          ? tokenView({ requestedScopes: r.scopes, grantedScopes: r.scopes, source: 'interactive', fromCache: false })
          : tokenView(),
      ),
  });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  fireEvent.change(within(region).getByLabelText('Get token for…'), { target: { value: 'sample' } });
  fireEvent.click(within(region).getByRole('button', { name: 'Get token' }));
  await within(region).findByText('Needed you: interactive sign-in or consent', { selector: '[role="status"]' });
  assert.deepEqual(fake.callsTo('getToken')[1], { homeAccountId: alice.homeAccountId, scopes: ['api://sample-api/Items.Read'], allowInteraction: true });
  assert.deepEqual(chipTexts(region), ['Items.Read (granted)']);
});

test('custom scopes: typed, parsed, and the button stays disabled until there is one', async () => {
  const { fake } = renderApp({ state: signedIn, setup: (f) => f.respond('getToken', (r) => tokenView({ requestedScopes: r.scopes, grantedScopes: r.scopes })) });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  fireEvent.change(within(region).getByLabelText('Get token for…'), { target: { value: '__custom__' } });
  const button = within(region).getByRole('button', { name: 'Get token' }) as HTMLButtonElement;
  assert.ok(button.disabled);
  fireEvent.change(within(region).getByLabelText('Scopes (space separated)'), { target: { value: 'Files.Read, Files.Read  Sites.Read' } });
  fireEvent.click(button);
  await within(region).findByText('Sites.Read');
  assert.deepEqual(chipTexts(region), ['Files.Read (granted)', 'Sites.Read (granted)']);
  assert.deepEqual(fake.callsTo('getToken')[1]?.scopes, ['Files.Read', 'Sites.Read']);
});

test('Copy access token asks main to copy; the renderer never receives the token', async () => {
  const { fake } = renderApp({
    state: signedIn,
    setup: (f) => {
      f.respond('getToken', () => tokenView());
      f.respond('copyAccessToken', () => ({ copied: true }));
    },
  });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  fireEvent.click(within(region).getByRole('button', { name: 'Copy access token' }));
  await within(region).findByText('Access token copied to the clipboard.');
  assert.deepEqual(fake.callsTo('copyAccessToken'), [{ homeAccountId: alice.homeAccountId, scopes: ['User.Read'] }]);
});

test('a token that needs interaction shows the error banner with the server code', async () => {
  renderApp({
    state: signedIn,
    setup: (f) =>
      f.fail('getToken', {
        kind: 'interaction_required',
        code: 'invalid_grant',
        serverCode: 'AADSTS50076',
        message: 'Your organisation requires multi-factor authentication.',
        suggestedAction: 'Sign in interactively to complete MFA.',
      }),
  });
  const alert = await screen.findByRole('alert');
  assert.match(alert.textContent ?? '', /multi-factor/);
  assert.match(alert.textContent ?? '', /Code: AADSTS50076 \(invalid_grant\)/);
});

test('activity entries appear newest first with flow and duration', async () => {
  const { fake } = renderApp();
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('activity', { id: 'a1', at: NOW, message: 'Silent token attempt found nothing', outcome: 'info', flow: 'silent', durationMs: 3 });
  await fake.emit('activity', { id: 'a2', at: NOW + 1000, message: 'Signed in alice@contoso.example', outcome: 'success', flow: 'window', durationMs: 8200 });
  const log = screen.getByRole('log');
  const items = within(log).getAllByRole('listitem').map((li) => li.textContent);
  assert.match(items[0] ?? '', /Signed in alice@contoso\.example.*sign-in window.*8\.2 s/);
  assert.match(items[1] ?? '', /Silent token attempt found nothing.*silent.*3 ms/);
});

test('the renderer subscribes to every contract event once and unsubscribes on unmount', async () => {
  const { fake, unmount } = renderApp();
  await screen.findByRole('button', { name: 'Sign in' });
  for (const e of ['stateChanged', 'deviceCode', 'activity', 'signInProgress'] as const) assert.equal(fake.listenerCount(e), 1, e);
  unmount();
  for (const e of ['stateChanged', 'deviceCode', 'activity', 'signInProgress'] as const) assert.equal(fake.listenerCount(e), 0, e);
});
