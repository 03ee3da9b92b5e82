// Time comes from here so tests can move it (expiry, refresh_in) without waiting. Timers stay real:
// they only bound waits on real peers (polling interval, loopback timeout).
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export const nowSeconds = (clock: Clock): number => Math.floor(clock.now() / 1000);
