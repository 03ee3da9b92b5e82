// Concurrent requests for the same account + scopes share one network call: the first caller starts
// it, the others await the same promise, and the slot frees itself when the call settles.
export class SingleFlight {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  run<T>(key: string, start: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing as Promise<T>;
    const p = start().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Every call running now, for a caller that must wait for them (shutdown). */
  running(): Promise<unknown>[] {
    return [...this.inFlight.values()];
  }
}
