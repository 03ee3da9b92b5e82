// RFC 8628 §3.5 polling discipline, which oidc-provider does not enforce: a client polling a device code
// sooner than its interval gets `slow_down`, and that code's interval grows by 5 s for good.
import { createHash } from 'node:crypto';

interface Pace {
  interval: number;
  lastPoll: number | undefined;
}

export type PollVerdict = { ok: true } | { ok: false; interval: number };

export class DeviceCodePacer {
  // Keyed by a hash so the map never holds a usable device code.
  readonly #paces = new Map<string, Pace>();
  readonly #now: () => number;
  readonly #increment: () => number;

  constructor(increment: () => number, now: () => number = Date.now) {
    this.#increment = increment;
    this.#now = now;
  }

  register(deviceCode: string, interval: number): void {
    this.#paces.set(key(deviceCode), { interval, lastPoll: undefined });
  }

  /** Record a poll; `ok: false` means answer `slow_down` (the new interval is returned for information). */
  poll(deviceCode: string): PollVerdict {
    const pace = this.#paces.get(key(deviceCode));
    if (!pace) return { ok: true };
    const now = this.#now();
    const tooSoon = pace.lastPoll !== undefined && now - pace.lastPoll < pace.interval * 1000;
    pace.lastPoll = now;
    if (!tooSoon) return { ok: true };
    pace.interval += this.#increment();
    return { ok: false, interval: pace.interval };
  }

  forget(deviceCode: string): void {
    this.#paces.delete(key(deviceCode));
  }
}

function key(deviceCode: string): string {
  return createHash('sha256').update(deviceCode).digest('base64url');
}
