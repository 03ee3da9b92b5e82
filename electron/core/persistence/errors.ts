// Stable codes for everything the persistence can report. The UI maps a code to a sentence and an
// action, so a code never changes once shipped. The error class itself lives in ../errors.ts with the
// engine's other errors; this file only adds the persistence's code table.
export { CachePersistenceError } from '../errors.js';

export const CachePersistenceErrorCode = {
  // The OS keychain could not be used (the persistence then keeps tokens in memory only).
  keychainNoDbus: 'keychain_no_dbus',
  keychainNoProvider: 'keychain_no_provider',
  keychainNoCollection: 'keychain_no_collection',
  keychainLocked: 'keychain_locked',
  keychainDenied: 'keychain_access_denied',
  keychainTimeout: 'keychain_timeout',
  keychainUnavailable: 'keychain_unavailable',
  // The cache file could not be used; a bad file is moved aside, never deleted.
  fileCorrupt: 'cache_file_corrupt',
  /** A symlink, FIFO, device or socket at the cache path (moved aside), or a folder (left, memory-only). */
  fileNotRegular: 'cache_file_not_regular',
  /** Over `maxFileBytes`: moved aside unread. */
  fileTooLarge: 'cache_file_too_large',
  keyMissing: 'cache_key_missing',
  keyMismatch: 'cache_key_mismatch',
  keyInvalid: 'cache_key_invalid',
  formatUnsupported: 'cache_format_unsupported',
  readFailed: 'cache_read_failed',
  writeFailed: 'cache_write_failed',
  writeSkipped: 'cache_write_skipped',
  // At start-up both mean read-only (accounts loaded, nothing saved) or memory-only; later, a lock
  // timeout is the one error an access throws.
  lockTimeout: 'cache_lock_timeout',
  lockFailed: 'cache_lock_failed',
  plaintextUnsafe: 'cache_plaintext_unsafe',
  // The app's remembered active account (electron/app/active-account-store.ts) could not be saved: the
  // sign-in or switch worked, only the choice will not survive a restart. Shown with the cache warnings.
  activeAccountWriteFailed: 'active_account_write_failed',
} as const;

export type CachePersistenceErrorCode = (typeof CachePersistenceErrorCode)[keyof typeof CachePersistenceErrorCode];
