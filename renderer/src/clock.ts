// Time as a dependency: components read "now" from a Clock so tests can move time deterministically
// (token countdowns, device code expiry, the refresh that fires when the countdown reaches refreshOn).
import { createContext, useContext, useEffect, useState } from 'react';

export interface Clock {
  now(): number;
  /** Call `tick` every `intervalMs`; returns the stop function. */
  every(intervalMs: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every: (intervalMs, tick) => {
    const id = setInterval(tick, intervalMs);
    return () => clearInterval(id);
  },
};

export const ClockContext = createContext<Clock>(systemClock);

/** The current time, re-rendering the caller every `intervalMs` (1 s for countdowns). */
export function useNow(intervalMs = 1000): number {
  const clock = useContext(ClockContext);
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    setNow(clock.now());
    return clock.every(intervalMs, () => setNow(clock.now()));
  }, [clock, intervalMs]);
  return now;
}
