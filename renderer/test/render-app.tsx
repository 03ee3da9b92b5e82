// Renders the whole App against a fake authApp and a manual clock, as main.tsx does with the real ones.
import { render } from '@testing-library/react';
import { App } from '../src/App.js';
import { AuthAppContext } from '../src/auth-app.js';
import { ClockContext } from '../src/clock.js';
import { createFakeAuthApp, type FakeAuthApp } from './fake-auth-app.js';
import { ManualClock } from './manual-clock.js';
import { appState, NOW, tokenTable } from './fixtures.js';
import type { AppState } from '../../shared/views.js';

export function renderApp(options: { state?: AppState; setup?: (fake: FakeAuthApp) => void } = {}) {
  const fake = createFakeAuthApp();
  const clock = new ManualClock(NOW);
  const state = options.state ?? appState();
  fake.respond('getState', () => state);
  fake.respond('listTokens', ({ homeAccountId }) => tokenTable([], homeAccountId));
  options.setup?.(fake);
  const view = render(
    <ClockContext.Provider value={clock}>
      <AuthAppContext.Provider value={fake.api}>
        <App />
      </AuthAppContext.Provider>
    </ClockContext.Provider>,
  );
  return { ...view, fake, clock };
}
