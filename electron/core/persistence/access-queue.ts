// In-process serialization of cache accesses: one access at a time, first come first served. It also
// tells the holder whether others are waiting, which is what lets a burst of writes share one lock
// hold and one disk write (coalescing).
export class AccessQueue {
  private busy = false;
  private readonly waiters: Array<() => void> = [];

  acquire(): Promise<void> {
    if (!this.busy) {
      this.busy = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get hasWaiters(): boolean {
    return this.waiters.length > 0;
  }

  /** Hand the turn to the next waiter, or become free. */
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.busy = false;
  }
}
