// Shutdown support: wait, bounded, for the network work that ends in a cache write. With rotating
// refresh tokens a refresh still running when the process ends is the dangerous case: the IdP has
// already replaced the refresh token, and only the answer still in flight holds the new one.
import type { EngineContext } from './engine-context.js';

/** Registers one call of an acquire method until it settles, so drainEngine waits for it. */
export function tracked<T>(ctx: EngineContext, operation: Promise<T>): Promise<T> {
  const settled = operation.then(
    () => undefined,
    () => undefined,
  );
  ctx.operations.add(settled);
  void settled.then(() => ctx.operations.delete(settled));
  return operation;
}

/**
 * Resolves true once no refresh (in-flight or background) is running and the cache writes they made
 * are persisted; false when `timeoutMs` passed first (the caller quits anyway). Loops because a
 * finishing refresh can start a cache write, and a background one can be started meanwhile.
 */
export async function drainEngine(ctx: EngineContext, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const settle = async (): Promise<true> => {
    for (;;) {
      const pending = [...ctx.operations, ...ctx.refreshes.running(), ...ctx.background];
      if (pending.length === 0) break;
      await Promise.allSettled(pending);
    }
    await ctx.cache.idle();
    return true;
  };
  try {
    return await Promise.race([settle(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
