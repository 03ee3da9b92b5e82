import './setup-dom.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { assertAbsent, assertFocused } from './dom-assert.js';
import { renderApp } from './render-app.js';
import { alice, appState, NOW, sampleRow, tokenRow, tokenTable, tokenView } from './fixtures.js';
import { FakeFailure, type FakeAuthApp } from './fake-auth-app.js';
import type { TokenTableView } from '../../shared/views.js';

afterEach(cleanup);

const signedIn = appState({ accounts: [alice], activeAccountId: alice.homeAccountId });
const withTable = (table: TokenTableView) => (f: FakeAuthApp) => {
  f.respond('getToken', () => tokenView());
  f.respond('listTokens', () => table);
};

async function panel() {
  return screen.findByRole('region', { name: 'Tokens for Alice Smith' });
}
const rows = async () => within(await screen.findByRole('list', { name: 'Cached access tokens' })).getAllByRole('listitem').filter((li) => li.classList.contains('token-row'));
const row = async (api: string) => (await screen.findByRole('heading', { name: api, level: 3 })).closest('li') as HTMLElement;

test('every cached token of the account, one row each: its API, requested vs granted, expiry, refresh time, source', async () => {
  const { fake } = renderApp({ state: signedIn, setup: withTable(tokenTable([tokenRow(), sampleRow()])) });
  await panel();
  assert.equal((await rows()).length, 2);
  const graph = await row('Graph-like API (Mail.Read)');
  assert.match(graph.textContent ?? '', /Microsoft Graph/);
  const chips = within(within(graph).getByRole('list', { name: 'Scopes' })).getAllByRole('listitem').map((li) => li.textContent);
  assert.deepEqual(chips, ['user.read (granted)', 'Calendars.Read (requested, not granted) ✗', 'openid (granted, not requested) +']);
  assert.match(graph.textContent ?? '', /Expires in 1:00:00 \(at \d\d:\d\d:\d\d\)/);
  assert.match(graph.textContent ?? '', /Refresh due at \d\d:\d\d:\d\d/);
  assert.match(graph.textContent ?? '', /Got by interactive sign-in or consent · cached at/);
  const sample = await row('Sample API');
  assert.match(sample.textContent ?? '', /api:\/\/sample-api/);
  assert.match(sample.textContent ?? '', /Got silently, with the refresh token/);
  assert.ok(within(sample).getByRole('button', { name: 'Call API: Sample API' }));
  assertAbsent(within(graph).queryByRole('button', { name: /^Call API/ }), 'Call API only where one is configured');
  assert.deepEqual(fake.callsTo('listTokens'), [{ homeAccountId: alice.homeAccountId }]);
  assert.deepEqual(fake.callsTo('getToken'), [{ homeAccountId: alice.homeAccountId, scopes: ['User.Read'] }]);
  assert.deepEqual(fake.violations, []);
});

test('the refresh token by status only: present, for which client and family, when received', async () => {
  renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  const region = await panel();
  await within(region).findByText(/Refresh token:/);
  assert.match(region.textContent ?? '', /present for client desktop-sample \(family 1\), last received at \d\d:\d\d:\d\d/);
});

test('the table follows the cache live: a tokensChanged event adds a row', async () => {
  const { fake } = renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  await panel();
  assert.equal((await rows()).length, 1);
  await fake.emit('tokensChanged', tokenTable([tokenRow(), sampleRow()]));
  assert.equal((await rows()).length, 2);
  await fake.emit('tokensChanged', tokenTable([sampleRow()], 'someone-else'));
  assert.equal((await rows()).length, 2, "another account's table does not replace this one");
});

test('a row asks again by itself when its countdown reaches refreshOn, for its own scopes', async () => {
  const { fake, clock } = renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  await row('Graph-like API (Mail.Read)');
  await clock.advance(1800_000 - 1000);
  assert.equal(fake.callsTo('getToken').length, 1, 'not before refreshOn');
  await clock.advance(1000);
  assert.deepEqual(fake.callsTo('getToken').at(-1), { homeAccountId: alice.homeAccountId, scopes: ['User.Read', 'Calendars.Read'], forceRefresh: false });
});

test('Refresh and Copy act on that row’s scopes; the renderer never receives the token', async () => {
  const { fake } = renderApp({
    state: signedIn,
    setup: (f) => {
      withTable(tokenTable([tokenRow(), sampleRow()]))(f);
      f.respond('copyAccessToken', () => ({ copied: true }));
    },
  });
  const sample = await row('Sample API');
  fireEvent.click(within(sample).getByRole('button', { name: 'Refresh the Sample API token' }));
  await screen.findAllByText(/Sample API/);
  assert.deepEqual(fake.callsTo('getToken').at(-1), { homeAccountId: alice.homeAccountId, scopes: ['api://sample-api/Items.Read'], forceRefresh: true });
  fireEvent.click(within(sample).getByRole('button', { name: 'Copy the Sample API access token' }));
  assert.ok((await screen.findAllByText(/Access token for Sample API copied to the clipboard/)).length > 0);
  assert.deepEqual(fake.callsTo('copyAccessToken'), [{ homeAccountId: alice.homeAccountId, scopes: ['api://sample-api/Items.Read'] }]);
});

test('"Get a token for" another API allows interaction; success says so and moves focus to the tokens', async () => {
  const { fake } = renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  const region = await panel();
  fireEvent.change(within(region).getByLabelText('Get a token for'), { target: { value: 'sample' } });
  fireEvent.click(within(region).getByRole('button', { name: 'Get token' }));
  assert.ok((await screen.findAllByText(/Token for Sample API ready/)).length > 0);
  assert.deepEqual(fake.callsTo('getToken').at(-1), { homeAccountId: alice.homeAccountId, scopes: ['api://sample-api/Items.Read'], allowInteraction: true });
  assertFocused(screen.getByRole('heading', { name: 'Tokens for Alice Smith' }));
});

test('a declined consent is about that API: others unaffected, "Ask again", codes behind Details, focus on it', async () => {
  let n = 0;
  const { fake } = renderApp({
    state: signedIn,
    setup: (f) => {
      f.respond('listTokens', () => tokenTable());
      f.respond('getToken', (r) => {
        if (!r.allowInteraction) return tokenView();
        n += 1;
        if (n === 1) {
          throw new FakeFailure({
            kind: 'server', code: 'access_denied', serverCode: 'AADSTS65004', correlationId: 'corr-7',
            message: 'The sign-in was declined. (AADSTS65004: User declined to consent to access the app.)', suggestedAction: 'Sign in again and approve the request.',
          });
        }
        return tokenView();
      });
    },
  });
  const region = await panel();
  fireEvent.change(within(region).getByLabelText('Get a token for'), { target: { value: 'sample' } });
  fireEvent.click(within(region).getByRole('button', { name: 'Get token' }));
  const headline = await screen.findByText('Access to Sample API was declined.');
  assertFocused(headline);
  const notice = headline.closest('.token-failure') as HTMLElement;
  const visible = (notice.textContent ?? '').split('Details')[0]!;
  assert.match(visible, /other tokens are unaffected/);
  assert.doesNotMatch(visible, /sign in again|AADSTS/i);
  assert.match(within(notice).getByText('Details').closest('details')?.textContent ?? '', /AADSTS65004.*corr-7/s);
  assert.equal(document.querySelectorAll('.banner-error').length, 0, 'no sign-in error banner');
  fireEvent.click(within(notice).getByRole('button', { name: 'Ask again' }));
  assert.ok((await screen.findAllByText(/Token for Sample API ready/)).length > 0);
  assert.equal(fake.callsTo('getToken').filter((r) => r.allowInteraction).length, 2);
  assertAbsent(document.querySelector('.token-failure'));
});

test('an unknown scope the user typed is theirs, not "the app configuration"', async () => {
  const { fake } = renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  const region = await panel();
  fake.fail('getToken', { kind: 'server', code: 'invalid_scope', message: 'x', suggestedAction: 'Check the scopes in the app configuration.' });
  fireEvent.change(within(region).getByLabelText('Get a token for'), { target: { value: '__custom__' } });
  const button = within(region).getByRole('button', { name: 'Get token' }) as HTMLButtonElement;
  assert.equal(button.disabled, true, 'nothing typed yet');
  fireEvent.change(within(region).getByLabelText('Scopes (space separated)'), { target: { value: 'api://x/Nope' } });
  fireEvent.click(button);
  const headline = await screen.findByText('The identity provider does not know the scope you typed (api://x/Nope).');
  assert.doesNotMatch(headline.closest('.token-failure')?.textContent?.split('Details')[0] ?? '', /app configuration/);
});

test('offline: one banner with since-when, the failure count and the next try; an expired token’s Copy and Call API are off', async () => {
  const { fake, clock } = renderApp({ state: signedIn, setup: withTable(tokenTable([sampleRow({ expiresOn: NOW + 10_000 })])) });
  const sample = await row('Sample API');
  const refused = { kind: 'network' as const, code: 'connection_refused', message: 'The identity provider refused the connection.', suggestedAction: 'The app tries again by itself.' };
  fake.fail('getToken', refused);
  fireEvent.click(within(sample).getByRole('button', { name: 'Refresh the Sample API token' }));
  const banner = (await screen.findByText(/^Offline since \d\d:\d\d:\d\d: The identity provider refused the connection\./)).closest('.banner') as HTMLElement;
  assert.match(banner.textContent ?? '', /1 failed attempt, the last at .* Next automatic try at \d\d:\d\d:\d\d \(in 0:30\)/);
  fireEvent.click(within(banner).getByRole('button', { name: 'Retry now' }));
  await within(banner).findByText(/2 failed attempts/);
  assert.equal(document.querySelectorAll('.banner-offline').length, 1, 'the same banner, changed; not a second copy');
  assert.equal(document.querySelectorAll('.banner-error').length, 0);
  await clock.advance(11_000);
  assert.match(sample.textContent ?? '', /Expired at/);
  assert.equal((within(sample).getByRole('button', { name: 'Copy the Sample API access token' }) as HTMLButtonElement).disabled, true);
  assert.equal((within(sample).getByRole('button', { name: 'Call API: Sample API' }) as HTMLButtonElement).disabled, true);
  assert.match(sample.textContent ?? '', /cannot be used or refreshed until the identity provider is reachable/);
  // The next automatic try runs by itself; a success (a refresh) ends the offline state.
  fake.respond('getToken', () => tokenView({ source: 'refresh', fromCache: false }));
  await clock.advance(60_000);
  await fake.emit('activity', { id: 'r1', at: NOW + 71_000, message: 'Token for User.Read refreshed silently', outcome: 'success', flow: 'refresh' });
  assertAbsent(document.querySelector('.banner-offline'));
  assert.ok(fake.callsTo('getToken').some((r) => r.forceRefresh === true && r.scopes[0] === 'User.Read'), 'the automatic retry asked the IdP');
});

test('the status line: a cancel is announced; an automatic refresh is shown but not read out', async () => {
  const { fake } = renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  await panel();
  const live = document.querySelector('[role="status"][aria-live="polite"].visually-hidden') as HTMLElement;
  await fake.emit('activity', { id: 'c1', at: NOW, message: 'Sign-in cancelled', outcome: 'cancelled', flow: 'window' });
  assert.match(document.querySelector('.status-line')?.textContent ?? '', /Sign-in cancelled · \d\d:\d\d:\d\d/);
  assert.match(live.textContent ?? '', /Sign-in cancelled/);
  await fake.emit('activity', { id: 'r1', at: NOW, message: 'Token for User.Read refreshed silently', outcome: 'success', flow: 'refresh' });
  assert.match(document.querySelector('.status-line')?.textContent ?? '', /refreshed silently/);
  assert.equal(live.textContent, '', 'not announced');
});

test('the last response in a disclosure: the masked access token and the ID token claims', async () => {
  renderApp({ state: signedIn, setup: withTable(tokenTable()) });
  const region = await panel();
  await within(region).findByText('eyJh…Qw9k (1024 chars)');
  const table = screen.getByRole('table', { name: 'ID token claims' });
  const names = within(table).getAllByRole('row').slice(1).map((r) => within(r).getByRole('rowheader').textContent);
  assert.deepEqual(names, ['exp', 'name', 'preferred_username', 'roles', 'tid']);
  assert.match(region.textContent ?? '', /Access tokens are opaque to this app/);
});

test('activity entries appear newest first with flow and duration, in a focusable scrolling region (not a live log)', async () => {
  const { fake } = renderApp();
  await screen.findByRole('button', { name: 'Sign in' });
  await fake.emit('activity', { id: 'a1', at: NOW, message: 'Silent token attempt found nothing', outcome: 'info', flow: 'silent', durationMs: 3 });
  await fake.emit('activity', { id: 'a2', at: NOW + 1000, message: 'Signed in alice@contoso.example', outcome: 'success', flow: 'window', durationMs: 8200 });
  const region = screen.getByRole('region', { name: 'Activity entries, newest first', hidden: true });
  assert.equal(region.getAttribute('tabindex'), '0');
  assertAbsent(screen.queryByRole('log'));
  const items = within(region).getAllByRole('listitem', { hidden: true }).map((li) => li.textContent);
  assert.match(items[0] ?? '', /Signed in alice@contoso\.example.*sign-in window.*8\.2 s/);
  assert.match(items[1] ?? '', /Silent token attempt found nothing.*silent.*3 ms/);
});

test('the first screen says which authority and client the app is configured for; a skip link leads to the tokens', async () => {
  renderApp();
  const region = await screen.findByRole('region', { name: 'Tokens' });
  assert.match(region.textContent ?? '', /Authority\s*https:\/\/localhost:8443\/home-tid/);
  assert.match(region.textContent ?? '', /Client ID\s*desktop-sample/);
  assert.equal(screen.getByRole('link', { name: 'Skip to tokens' }).getAttribute('href'), '#token-heading');
});

test('the renderer subscribes to every contract event once and unsubscribes on unmount', async () => {
  const { fake, unmount } = renderApp();
  await screen.findByRole('button', { name: 'Sign in' });
  const all = ['stateChanged', 'deviceCode', 'activity', 'signInProgress', 'tokensChanged'] as const;
  for (const e of all) assert.equal(fake.listenerCount(e), 1, e);
  unmount();
  for (const e of all) assert.equal(fake.listenerCount(e), 0, e);
});
