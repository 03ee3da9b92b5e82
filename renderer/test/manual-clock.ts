// A Clock the test moves by hand: countdowns and due refreshes happen exactly when the test says so.
import { act } from '@testing-library/react';
import type { Clock } from '../src/clock.js';

export class ManualClock implements Clock {
  private ticks = new Set<() => void>();
  constructor(private current: number) {}
  now = () => this.current;
  every = (_intervalMs: number, tick: () => void) => {
    this.ticks.add(tick);
    return () => this.ticks.delete(tick);
  };
  /** Move time forward and run every ticker once (inside act, so React renders the result). */
  async advance(ms: number): Promise<void> {
    this.current += ms;
    await act(async () => {
      for (const tick of [...this.ticks]) tick();
    });
  }
}
