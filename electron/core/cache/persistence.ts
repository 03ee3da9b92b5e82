// The seam between the in-memory token cache (issue 3) and durable storage (issue 4).
// Shaped like MSAL's ICachePlugin so people who know msal-node recognise it, with one deliberate
// difference: under the lock, what is on disk is the truth. `deserialize` REPLACES the in-memory
// cache (msal-node merges), so an account removed by another process does not come back.

/** The part of the token cache a persistence may read and write: the MSAL unified-schema JSON. */
export interface SerializableTokenCache {
  serialize(): string;
  /** Replace the whole in-memory cache with this MSAL JSON. Throws on malformed input. */
  deserialize(json: string): void;
}

export interface TokenCacheContext {
  readonly tokenCache: SerializableTokenCache;
  /** True when the access is going to change the cache: the persistence takes its cross-process lock. */
  readonly willWrite: boolean;
  /** Set by the engine before `afterCacheAccess` when the in-memory cache actually changed. */
  cacheHasChanged: boolean;
}

export type PersistenceState =
  | 'empty' // nothing loaded yet
  | 'encrypted' // persisted encrypted, key in the OS keychain
  | 'memory-only' // keychain unavailable: tokens live in this process only
  | 'read-only' // the file is loaded but cannot be written (folder not writable, lock held): changes stay in memory
  | 'recovered-from-corruption' // a bad file was moved aside; started empty
  | 'unsupported-format' // a newer format is on disk: we refuse to overwrite it
  | 'plaintext-unsafe'; // the explicit, off-by-default unsafe store

export interface PersistenceWarning {
  readonly code: string;
  readonly message: string; // never contains a secret
  readonly at: Date;
}

/**
 * The engine calls `beforeCacheAccess` before every cache read or write and `afterCacheAccess`
 * after it (always, even when the access threw), never across a network call.
 *  - before: reload from storage if it changed since last seen (and, when willWrite, take the lock first)
 *  - after:  if cacheHasChanged, write atomically; release the lock
 */
export interface CachePersistence {
  beforeCacheAccess(context: TokenCacheContext): Promise<void>;
  afterCacheAccess(context: TokenCacheContext): Promise<void>;
  /** For the UI: what state the store is in, and warnings it has not yet shown. */
  readonly state: PersistenceState;
  readonly warnings: readonly PersistenceWarning[];
}
