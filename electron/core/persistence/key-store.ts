// Where the cache key lives. One small interface so the keychain can change (keytar today, Electron
// safeStorage later) without touching the file format or the persistence logic.

/** Holds one secret string (the base64 cache key) in some OS-protected store. */
export interface KeyStore {
  /** Human-readable, for logs and the README ("keytar: service/account"); never the secret. */
  readonly description: string;
  /** The stored secret, or null when there is none. Throws CachePersistenceError when the store is unusable. */
  get(): Promise<string | null>;
  set(secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(): Promise<boolean>;
}

/** A KeyStore in this process's memory: for tests, and never for real tokens (it dies with the process). */
export function createMemoryKeyStore(initial: string | null = null): KeyStore {
  let secret = initial;
  return {
    description: 'memory (tests only)',
    async get() {
      return secret;
    },
    async set(value) {
      secret = value;
    },
    async delete() {
      const had = secret !== null;
      secret = null;
      return had;
    },
  };
}
