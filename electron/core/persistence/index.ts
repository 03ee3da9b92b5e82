// Public surface of the persistence (issue 4). electron/core/index.ts re-exports it.
export {
  createKeychainPersistence,
  DEFAULT_KEY_ACCOUNT,
  type KeychainPersistence,
  type KeychainPersistenceOptions,
  type KeychainPersistenceStats,
  type KeychainPersistenceWarning,
} from './keychain-persistence.js';
export { createMemoryKeyStore, type KeyStore } from './key-store.js';
export { createKeytarKeyStore, type KeytarKeyStoreOptions } from './keytar-key-store.js';
export { keychainErrorCode } from './keychain-errors.js';
export { CachePersistenceError, CachePersistenceErrorCode } from './errors.js';
export { EMPTY_CACHE_JSON } from './empty-cache.js';
export { FORMAT_VERSION } from './file-format.js';
