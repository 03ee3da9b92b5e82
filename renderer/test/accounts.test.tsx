import './setup-dom.js';
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { assertAbsent, assertFocused, describeElement } from './dom-assert.js';
import { renderApp } from './render-app.js';
import type { FakeAuthApp } from './fake-auth-app.js';
import { alice, appState, bob, tokenView } from './fixtures.js';

afterEach(cleanup);

const twoAccounts = appState({ accounts: [alice, bob], activeAccountId: alice.homeAccountId });
const withToken = (fake: FakeAuthApp) => fake.respond('getToken', () => tokenView());

test('lists accounts with initials, username, tenant, guest badge, and marks the active one', async () => {
  const { fake } = renderApp({ state: twoAccounts, setup: withToken });
  const region = await screen.findByRole('region', { name: /^Accounts/ });
  const items = within(region).getAllByRole('listitem');
  assert.equal(items.length, 2);
  const [aliceItem, bobItem] = items as [HTMLElement, HTMLElement];
  assert.match(aliceItem.textContent ?? '', /ASAlice Smith/);
  assert.match(aliceItem.textContent ?? '', /alice@contoso\.example/);
  assert.match(aliceItem.textContent ?? '', /home-tid/);
  assert.equal(aliceItem.getAttribute('aria-current'), 'true');
  assert.ok(within(aliceItem).getByText('Active'));
  assertAbsent(within(aliceItem).queryByText(/^guest from/));
  assert.equal(bobItem.getAttribute('aria-current'), null);
  assert.ok(within(bobItem).getByText('guest from another tenant'), 'bob signed in to a tenant that is not his home tenant: visible text, not a tooltip');
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
  assert.ok(await screen.findByRole('heading', { name: 'Tokens for Bob Jones' }));
  assert.deepEqual(fake.callsTo('switchAccount'), [{ homeAccountId: bob.homeAccountId }]);
  const bobItem = within(screen.getByRole('region', { name: /^Accounts/ })).getByText('bob@fabrikam.example').closest('li')!;
  assert.equal(bobItem.getAttribute('aria-current'), 'true');
});

test('sign out asks first: Cancel (or Escape) does nothing and returns focus, Sign out calls removeAccount', async () => {
  const { fake } = renderApp({
    state: twoAccounts,
    setup: (f) => {
      withToken(f);
      f.respond('removeAccount', () => ({ ...twoAccounts, accounts: [alice] }));
    },
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign out bob@fabrikam.example' }));
  const confirm = screen.getByRole('group', { name: 'Sign out bob@fabrikam.example?' });
  assertFocused(within(confirm).getByRole('button', { name: 'Cancel' }), 'focus on the safe choice');
  fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
  assert.deepEqual(fake.callsTo('removeAccount'), []);
  assertFocused(screen.getByRole('button', { name: 'Sign out bob@fabrikam.example' }), 'back on the button that opened it');

  fireEvent.click(screen.getByRole('button', { name: 'Sign out bob@fabrikam.example' }));
  fireEvent.keyDown(screen.getByRole('group', { name: 'Sign out bob@fabrikam.example?' }), { key: 'Escape' });
  assertAbsent(screen.queryByRole('group', { name: 'Sign out bob@fabrikam.example?' }));
  assertFocused(screen.getByRole('button', { name: 'Sign out bob@fabrikam.example' }), 'Escape returns focus too');

  fireEvent.click(screen.getByRole('button', { name: 'Sign out bob@fabrikam.example' }));
  fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  await screen.findByText((_, el) => el?.tagName === 'H2' && /^Accounts \(1\)/.test(el.textContent ?? ''));
  assert.deepEqual(fake.callsTo('removeAccount'), [{ homeAccountId: bob.homeAccountId }]);
  assertAbsent(screen.queryByText('bob@fabrikam.example'));
  assertFocused(screen.getByRole('heading', { name: /^Accounts/ }), 'focus stays in the list, not lost to <body>');
});

test('focus lands in the same commit that shows its target: nothing observing the DOM sees it elsewhere', async () => {
  // Focus moved by a passive effect arrives a task after the DOM changed; a screen reader (and
  // findBy* in these tests) can observe the page in between. Focus must move with the render.
  renderApp({
    state: twoAccounts,
    setup: (f) => {
      withToken(f);
      f.respond('removeAccount', () => ({ ...twoAccounts, accounts: [alice] }));
    },
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign out bob@fabrikam.example' }));
  const heading = screen.getByRole('heading', { name: /^Accounts/ });
  const seen: string[] = [];
  const observer = new MutationObserver(() => {
    if (/\(1\)/.test(heading.textContent ?? '') && seen.length === 0) seen.push(document.activeElement === heading ? 'heading' : describeElement(document.activeElement));
  });
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
  await screen.findByText((_, el) => el === heading && /\(1\)/.test(el.textContent ?? ''));
  observer.disconnect();
  assert.deepEqual(seen, ['heading'], 'when the list first shows one account, focus is already on its heading');
});

test('sign out offers "Also sign out of <IdP host> in the sign-in window", off by default; checked, removeAccount ends the IdP session', async () => {
  const { fake } = renderApp({
    state: twoAccounts,
    setup: (f) => {
      withToken(f);
      f.respond('removeAccount', () => ({ ...twoAccounts, accounts: [alice] }));
    },
  });
  fireEvent.click(await screen.findByRole('button', { name: 'Sign out bob@fabrikam.example' }));
  const confirm = screen.getByRole('group', { name: 'Sign out bob@fabrikam.example?' });
  const host = new URL(twoAccounts.config.authority).host;
  const box = within(confirm).getByRole('checkbox', { name: `Also sign out of ${host} in the sign-in window` }) as HTMLInputElement;
  assert.equal(box.checked, false);
  fireEvent.click(box);
  fireEvent.click(within(confirm).getByRole('button', { name: 'Sign out' }));
  await screen.findByText((_, el) => el?.tagName === 'H2' && /^Accounts \(1\)/.test(el.textContent ?? ''));
  assert.deepEqual(fake.callsTo('removeAccount'), [{ homeAccountId: bob.homeAccountId, endIdpSession: true }]);
  assert.deepEqual(fake.violations, []);
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
  assert.ok(within(screen.getByRole('region', { name: /^Accounts/ })).getByText('alice@contoso.example'));
  assert.ok(screen.getByRole('button', { name: 'Add account' }), 'the sign-in button now adds another account');
});

test('a stateChanged event that overtakes the initial snapshot wins over it', async () => {
  let answer: (s: ReturnType<typeof appState>) => void = () => {};
  const { fake } = renderApp({ setup: (f) => f.respond('getState', () => new Promise((resolve) => (answer = resolve))) });
  await fake.emit('stateChanged', appState({ accounts: [alice], activeAccountId: alice.homeAccountId }));
  await act(async () => answer(appState()));
  assert.ok(within(screen.getByRole('region', { name: /^Accounts/ })).getByText('alice@contoso.example'));
});

test('the tenant by name, the GUID copyable beside it; the active account pinned above the others', async () => {
  const written: string[] = [];
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText: async (t: string) => void written.push(t) } });
  const named = { ...bob, tenantName: 'Contoso', homeTenantName: 'Fabrikam' };
  renderApp({ state: appState({ accounts: [alice, named], activeAccountId: named.homeAccountId }), setup: withToken });
  const pinned = await screen.findByRole('list', { name: 'Active account' });
  assert.match(pinned.textContent ?? '', /Bob Jones/);
  assert.ok(within(pinned).getByText('Contoso'));
  assert.ok(within(pinned).getByText('guest from Fabrikam'));
  assertAbsent(within(pinned).queryByText('home-tid'), 'the GUID is not read out as text');
  fireEvent.click(within(pinned).getByRole('button', { name: 'Copy ID of Contoso' }));
  assert.ok(await within(pinned).findByRole('button', { name: 'ID copied: Contoso' }));
  assert.deepEqual(written, ['home-tid']);
  assert.match(screen.getByRole('list', { name: 'Other accounts' }).textContent ?? '', /Alice Smith/);
});
