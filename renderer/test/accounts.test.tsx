import './setup-dom.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { renderApp } from './render-app.js';
import type { FakeAuthApp } from './fake-auth-app.js';
import { alice, appState, bob, tokenView } from './fixtures.js';

afterEach(cleanup);

const twoAccounts = appState({ accounts: [alice, bob], activeAccountId: alice.homeAccountId });
const withToken = (fake: FakeAuthApp) => fake.respond('getToken', () => tokenView());

test('lists accounts with initials, username, tenant, guest badge, and marks the active one', async () => {
  const { fake } = renderApp({ state: twoAccounts, setup: withToken });
  const region = await screen.findByRole('region', { name: 'Accounts' });
  const items = within(region).getAllByRole('listitem');
  assert.equal(items.length, 2);
  const [aliceItem, bobItem] = items as [HTMLElement, HTMLElement];
  assert.match(aliceItem.textContent ?? '', /ASAlice Smith/);
  assert.match(aliceItem.textContent ?? '', /alice@contoso\.example/);
  assert.match(aliceItem.textContent ?? '', /Tenant home-tid/);
  assert.equal(aliceItem.getAttribute('aria-current'), 'true');
  assert.ok(within(aliceItem).getByText('Active'));
  assert.equal(within(aliceItem).queryByText('Guest'), null);
  assert.equal(bobItem.getAttribute('aria-current'), null);
  assert.ok(within(bobItem).getByText('Guest'), 'bob signed in to a tenant that is not his home tenant');
  assert.deepEqual(fake.violations, []);
});

test('switch calls switchAccount and shows the state it returns', async () => {
  const { fake } = renderApp({
    state: twoAccounts,
    setup: (f) => {
      withToken(f);
      f.respond('switchAccount', ({ homeAccountId }) => ({ ...twoAccounts, activeAccountId: homeAccountId }));
    },
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Switch to bob@fabrikam.example' }));
  assert.ok(await screen.findByRole('heading', { name: 'Token for Bob Jones' }));
  assert.deepEqual(fake.callsTo('switchAccount'), [{ homeAccountId: bob.homeAccountId }]);
  const bobItem = within(screen.getByRole('region', { name: 'Accounts' })).getByText('bob@fabrikam.example').closest('li')!;
  assert.equal(bobItem.getAttribute('aria-current'), 'true');
});

test('remove asks first: Keep does nothing, Remove calls removeAccount', async () => {
  const { fake } = renderApp({
    state: twoAccounts,
    setup: (f) => {
      withToken(f);
      f.respond('removeAccount', () => ({ ...twoAccounts, accounts: [alice] }));
    },
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Remove bob@fabrikam.example' }));
  const confirm = screen.getByRole('group', { name: 'Remove bob@fabrikam.example?' });
  assert.equal(document.activeElement, within(confirm).getByRole('button', { name: 'Keep' }), 'focus on the safe choice');
  fireEvent.click(within(confirm).getByRole('button', { name: 'Keep' }));
  assert.deepEqual(fake.callsTo('removeAccount'), []);

  fireEvent.click(screen.getByRole('button', { name: 'Remove bob@fabrikam.example' }));
  fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
  await screen.findByText((_, el) => el?.tagName === 'UL' && el.children.length === 1);
  assert.deepEqual(fake.callsTo('removeAccount'), [{ homeAccountId: bob.homeAccountId }]);
  assert.equal(screen.queryByText('bob@fabrikam.example'), null);
  assert.equal(document.activeElement, screen.getByRole('heading', { name: 'Accounts' }), 'focus stays in the list, not lost to <body>');
});

test('sign out of all asks first, then calls signOutAll', async () => {
  const { fake } = renderApp({
    state: twoAccounts,
    setup: (f) => {
      withToken(f);
      f.respond('signOutAll', () => appState());
    },
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign out of all' }));
  fireEvent.click(within(screen.getByRole('group', { name: 'Sign out of all accounts?' })).getByRole('button', { name: 'Sign out of all' }));
  assert.ok(await screen.findByText(/No accounts yet/));
  assert.equal(fake.callsTo('signOutAll').length, 1);
});

test('a stateChanged event from main updates the list (e.g. an account added by sign-in)', async () => {
  const { fake } = renderApp({ setup: withToken });
  assert.ok(await screen.findByText(/No accounts yet/));
  await fake.emit('stateChanged', appState({ accounts: [alice], activeAccountId: alice.homeAccountId }));
  assert.ok(within(screen.getByRole('region', { name: 'Accounts' })).getByText('alice@contoso.example'));
  assert.ok(screen.getByRole('button', { name: 'Add account' }), 'the sign-in button now adds another account');
});

test('a stateChanged event that overtakes the initial snapshot wins over it', async () => {
  let answer: (s: ReturnType<typeof appState>) => void = () => {};
  const { fake } = renderApp({ setup: (f) => f.respond('getState', () => new Promise((resolve) => (answer = resolve))) });
  await fake.emit('stateChanged', appState({ accounts: [alice], activeAccountId: alice.homeAccountId }));
  await act(async () => answer(appState()));
  assert.ok(within(screen.getByRole('region', { name: 'Accounts' })).getByText('alice@contoso.example'));
});
