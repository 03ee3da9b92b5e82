// The encrypted persistent token cache (issue 4): MSAL-JSON → AES-256-GCM (key in the OS keychain) →
// atomic file, under a cross-process lock, reloaded when another process changed it.
//
// Rules the code below keeps:
//  - Under the lock, the disk is the truth: a write access reloads a changed file (deserialize REPLACES
//    memory) before the engine changes the cache, then writes the result before releasing the lock.
//  - A burst of accesses in this process shares one lock hold and one disk write: while others wait
//    their turn, the holder hands the turn (and the lock) on instead of writing; the last one writes.
//    Every writer's afterCacheAccess still resolves only once its change is on disk.
//  - Nothing is ever destroyed: a file we cannot read is moved aside; a file in a newer format is left
//    untouched; without a usable keychain nothing is written at all (unless the caller opted into the
//    unsafe plaintext store).
//  - Whatever is at the path is untrusted: only a regular file under the size cap is ever read (no
//    symlink followed, no FIFO opened blocking); anything else is moved aside (a directory is left).
//  - Start-up never fails and never hangs because of storage: without the lock (a folder we cannot
//    write, a lock held for too long) the cache is loaded read-only — accounts visible, changes kept in
//    memory; anything worse is memory-only. After start-up, no access fails because of storage except a
//    lock that stays held for far too long; problems become `state` and `warnings` for the UI.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type {
  CachePersistence,
  PersistenceState,
  PersistenceWarning,
  SerializableTokenCache,
  TokenCacheContext,
} from '../cache/persistence.js';
import { systemClock, type Clock } from '../clock.js';
import { redacting, type Logger } from '../logger.js';
import { AccessQueue } from './access-queue.js';
import { removeOrphanTempFiles, writeFileAtomic } from './atomic-write.js';
import { decodeKey, encodeKey, generateKey, type CacheKey } from './cache-key.js';
import { EMPTY_CACHE_JSON } from './empty-cache.js';
import { CachePersistenceError, CachePersistenceErrorCode as Code, type CachePersistenceErrorCode } from './errors.js';
import { acquireFileLock, type FileLockOptions, type HeldLock } from './file-lock.js';
import { parseFile } from './file-format.js';
import { currentIdentity, currentIdentitySync, sameIdentity, type FileIdentity } from './file-identity.js';
import type { KeyStore } from './key-store.js';
import { toKeychainError } from './keychain-errors.js';
import { createKeytarKeyStore } from './keytar-key-store.js';
import { moveAside } from './quarantine.js';
import { DEFAULT_MAX_FILE_BYTES, readWithIdentity, type NotRegularKind } from './read-file.js';
import { open as openSealed, seal, wrapPlaintext } from './seal.js';

export const DEFAULT_KEY_ACCOUNT = 'token-cache-key';
const MAX_BATCH = 64; // turns one lock hold may span, so another process is never starved
const MAX_WARNINGS = 50;

export interface KeychainPersistenceOptions {
  /** The encrypted cache file. Its folder is created (0700) if missing. */
  cachePath: string;
  /** Keychain service name for the key (e.g. the app id). */
  serviceName: string;
  /** Keychain account name for the key; default "token-cache-key". */
  accountName?: string;
  /** Where the key lives; default keytar with serviceName/accountName. */
  keyStore?: KeyStore;
  /**
   * UNSAFE. When the keychain is unusable, store the cache UNENCRYPTED in `<cachePath>.unsafe-plaintext`
   * instead of keeping tokens in memory only. Off by default; anyone who can read the file gets the tokens.
   */
  allowUnsafePlaintext?: boolean;
  clock?: Clock;
  logger?: Logger;
  lock?: FileLockOptions;
  /** Give up on a keychain call after this long (a hung D-Bus must not hang the app); default 30 s. */
  keyStoreTimeoutMs?: number;
  /**
   * A cache file bigger than this is not read (warning cache_file_too_large, moved aside); default 64 MB,
   * ~6× a 100,000-token cache. Raise it for caches that really are that big.
   */
  maxFileBytes?: number;
}

export interface KeychainPersistenceWarning extends PersistenceWarning {
  readonly code: CachePersistenceErrorCode;
  /** Where an unusable file was moved, when one was. */
  readonly movedTo?: string;
}

/** Counters for diagnostics, tests and the benchmark. */
export interface KeychainPersistenceStats {
  loads: number;
  saves: number;
  /** Read + decrypt + the cache's deserialize (parse + index). */
  lastLoadMs: number;
  /** The persistence's own part of it: read + decrypt. */
  lastReadDecryptMs: number;
  /** The cache's serialize + encrypt + atomic write (fsync included). */
  lastSaveMs: number;
  /** The persistence's own part of it: encrypt + atomic write. */
  lastEncryptWriteMs: number;
}

export interface KeychainPersistence extends CachePersistence {
  readonly warnings: readonly KeychainPersistenceWarning[];
  /** The file in use: cachePath, or the unsafe plaintext file. */
  readonly filePath: string;
  readonly stats: Readonly<KeychainPersistenceStats>;
  /** Resolve once nothing is pending: no write waiting, no lock held (app shutdown, tests). */
  flush(): Promise<void>;
}

// 'read-only': the file is loaded (and reloaded when another instance changes it) but never written,
// moved or locked; after the first local change memory is the truth for the rest of the run ('memory').
type Mode = 'pending' | 'encrypted' | 'plaintext' | 'read-only' | 'memory';

const NOT_REGULAR: Record<NotRegularKind, string> = {
  directory: 'a folder',
  symlink: 'a symbolic link',
  fifo: 'a named pipe (FIFO)',
  socket: 'a socket',
  device: 'a device',
  other: 'something other than a file',
};

export function createKeychainPersistence(options: KeychainPersistenceOptions): KeychainPersistence {
  const max = options.maxFileBytes;
  if (max !== undefined && !(Number.isSafeInteger(max) && max > 0)) throw new RangeError('maxFileBytes must be a positive integer');
  return new KeychainFilePersistence(options);
}

class KeychainFilePersistence implements KeychainPersistence {
  state: PersistenceState = 'empty';
  filePath: string;
  readonly stats: KeychainPersistenceStats = { loads: 0, saves: 0, lastLoadMs: 0, lastReadDecryptMs: 0, lastSaveMs: 0, lastEncryptWriteMs: 0 };
  private readonly warningList: KeychainPersistenceWarning[] = [];
  private readonly keyStore: KeyStore;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly lockPath: string;
  private readonly queue = new AccessQueue();
  private readonly maxFileBytes: number;
  private mode: Mode = 'pending';
  private key: CacheKey | null = null;
  private lock: HeldLock | null = null;
  /** The in-memory cache that reflects `seen` (the engine normally has exactly one). */
  private bound: SerializableTokenCache | null = null;
  /** Identity of the file version memory reflects: undefined = never looked, null = no file. */
  private seen: FileIdentity | null | undefined = undefined;
  private dirty = false;
  private batch = 0;
  private flushWaiters: Array<() => void> = [];
  /** The access holding the turn, so a stray afterCacheAccess cannot release someone else's turn. */
  private current: TokenCacheContext | null = null;

  constructor(private readonly options: KeychainPersistenceOptions) {
    this.filePath = options.cachePath;
    this.lockPath = `${options.cachePath}.lock`;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.keyStore =
      options.keyStore ?? createKeytarKeyStore({ service: options.serviceName, account: options.accountName ?? DEFAULT_KEY_ACCOUNT });
    this.clock = options.clock ?? systemClock;
    this.log = redacting(options.logger);
  }

  get warnings(): readonly KeychainPersistenceWarning[] {
    return this.warningList;
  }

  /** Written to disk. */
  private get persistent(): boolean {
    return this.mode === 'encrypted' || this.mode === 'plaintext';
  }

  /** Loaded from disk (and reloaded when it changes). */
  private get readable(): boolean {
    return this.persistent || this.mode === 'read-only';
  }

  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    await this.queue.acquire();
    this.current = context;
    try {
      if (this.mode === 'pending') await this.initialize();
      if (!this.readable) return;
      this.adopt(context.tokenCache);
      if (this.lock) return; // a burst in progress: we hold the lock, so memory is the truth
      if (context.willWrite && this.persistent) this.lock = await this.takeLock();
      if (this.readable) await this.reloadIfChanged(context.tokenCache);
    } catch (error) {
      this.current = null;
      await this.endTurn();
      throw error;
    }
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.current !== context) return; // its before failed (and released the turn), or a misuse
    this.current = null;
    try {
      if (context.cacheHasChanged && this.persistent) {
        if (this.lock) this.dirty = true;
        else await this.saveWithoutWriteAccess(context.tokenCache);
      } else if (context.cacheHasChanged && this.mode === 'read-only') {
        // A change we cannot save (a sign-in): a reload would now drop it, so memory is the truth from here.
        this.mode = 'memory';
      }
    } finally {
      await this.endTurn();
    }
  }

  async flush(): Promise<void> {
    await this.queue.acquire();
    try {
      if (this.lock) await this.flushAndUnlock();
    } finally {
      this.queue.release();
    }
  }

  // ---- turns, lock, coalescing ----------------------------------------------------------------------

  private async endTurn(): Promise<void> {
    if (this.lock && this.queue.hasWaiters && this.batch < MAX_BATCH) {
      this.batch++;
      const flushed = this.dirty ? new Promise<void>((resolve) => this.flushWaiters.push(resolve)) : undefined;
      this.queue.release(); // the next access inherits the lock and the unsaved change
      await flushed;
      return;
    }
    try {
      if (this.lock) await this.flushAndUnlock();
    } finally {
      this.queue.release();
    }
  }

  private async flushAndUnlock(): Promise<void> {
    try {
      if (this.dirty && this.bound) await this.save(this.bound);
    } finally {
      this.dirty = false;
      this.batch = 0;
      const lock = this.lock;
      this.lock = null;
      await lock?.release().catch(() => {});
      for (const resolve of this.flushWaiters.splice(0)) resolve();
    }
  }

  /** A lock that cannot even be created (read-only folder, permissions) means memory-only, not a failure. */
  private async takeLock(): Promise<HeldLock | null> {
    try {
      return await acquireFileLock(this.lockPath, this.options.lock);
    } catch (error) {
      if (error instanceof CachePersistenceError && error.code === Code.lockTimeout) throw error;
      this.toMemoryOnly(Code.lockFailed, 'The token cache lock could not be created; tokens are kept in memory only', error);
      return null;
    }
  }

  /** Another in-memory cache object takes its turn: give it what memory holds, or make it reload. */
  private adopt(cache: SerializableTokenCache): void {
    if (this.bound === cache) return;
    if (this.bound && (this.lock || this.dirty)) cache.deserialize(this.bound.serialize());
    else this.seen = undefined;
    this.bound = cache;
  }

  // ---- first access: the key ------------------------------------------------------------------------

  /** Never throws: an app that cannot start is worse than any cache state, so every fault becomes one. */
  private async initialize(): Promise<void> {
    try {
      await this.initializeOrThrow();
    } catch (error) {
      this.toMemoryOnly(Code.readFailed, 'The token cache could not be opened; tokens are kept in memory only', error);
    }
  }

  private async initializeOrThrow(): Promise<void> {
    try {
      await mkdir(dirname(this.options.cachePath), { recursive: true, mode: 0o700 });
    } catch (error) {
      return this.toMemoryOnly(Code.writeFailed, 'The token cache folder could not be created; tokens are kept in memory only', error);
    }
    // Under the lock, so two instances starting together cannot each create (and store) a different key.
    let lock: HeldLock;
    try {
      lock = await acquireFileLock(this.lockPath, this.options.lock);
    } catch (error) {
      return this.startReadOnly(error);
    }
    try {
      await removeOrphanTempFiles(this.options.cachePath);
      await removeOrphanTempFiles(this.lockPath);
      let secret: string | null;
      try {
        secret = await this.withTimeout(this.keyStore.get(), 'read the cache key');
      } catch (error) {
        return this.keychainUnusable(error);
      }
      let key = secret === null ? null : decodeKey(secret);
      // Only a regular file under the cap can need the key; anything else is judged by the first load.
      const read = key ? null : await readWithIdentity(this.options.cachePath, this.maxFileBytes).catch(() => null);
      const existing = read?.kind === 'ok' ? read : null;
      if (!key && existing && secret === null) {
        // A locked keyring whose unlock prompt failed also answers "nothing": ask once more before
        // replacing a key an existing file needs (storing a new key overwrites the keychain entry).
        await new Promise((r) => setTimeout(r, 200));
        const again = await this.withTimeout(this.keyStore.get(), 'read the cache key').catch(() => null);
        key = again === null ? null : decodeKey(again);
      }
      if (!key) {
        if (existing && parseFile(existing.bytes).kind === 'unsupported') return this.unsupported(parseFile(existing.bytes));
        const fresh = generateKey();
        try {
          // Stored before anything is moved: if the keychain refuses (locked, no collection), the file
          // stays exactly where it is for when the keychain works again.
          await this.withTimeout(this.keyStore.set(encodeKey(fresh)), 'store the cache key');
        } catch (error) {
          return this.keychainUnusable(error);
        }
        key = fresh;
        if (existing) {
          const code = secret === null ? Code.keyMissing : Code.keyInvalid;
          await this.moveAsideAndWarn(code, 'The token cache key is missing from the keychain; the unreadable cache was moved aside');
          this.seen = null;
        }
      }
      this.key = key;
      this.mode = 'encrypted';
      if (this.state === 'empty') this.state = 'encrypted';
      this.log.log('info', 'token cache: encrypted persistence ready', { keyStore: this.keyStore.description });
    } finally {
      await lock.release().catch(() => {});
    }
  }

  /**
   * No lock at start-up: the folder cannot be written (read-only, permissions, a full disk) or another
   * process holds the lock for longer than the timeout. What is on disk is still shown — an unwritable
   * folder must not hide the accounts in it — but nothing is written, moved or keyed this run.
   */
  private async startReadOnly(lockError: unknown): Promise<void> {
    const code = lockError instanceof CachePersistenceError && lockError.code === Code.lockTimeout ? Code.lockTimeout : Code.lockFailed;
    const why = code === Code.lockTimeout ? 'Another instance holds the token cache lock' : 'The token cache folder cannot be written';
    let secret: string | null;
    try {
      secret = await this.withTimeout(this.keyStore.get(), 'read the cache key');
    } catch (error) {
      const typed = toKeychainError(error, 'read the cache key');
      this.toMemoryOnly(code, `${why}; tokens are kept in memory only`, lockError);
      return this.warn(typed.code as CachePersistenceErrorCode, typed.message);
    }
    const key = secret === null ? null : decodeKey(secret);
    // Without a key there is nothing we could read; a new key is only ever made under the lock.
    if (!key) return this.toMemoryOnly(code, `${why}; tokens are kept in memory only`, lockError);
    this.key = key;
    this.mode = 'read-only';
    this.state = 'read-only';
    this.warn(code, `${why}: saved accounts are shown, but changes (new sign-ins, removals, new tokens) are not saved this run`);
    this.log.log('warn', 'token cache: read-only', { code, cause: lockError instanceof Error ? lockError.message : undefined });
  }

  private keychainUnusable(error: unknown): void {
    const typed = toKeychainError(error, 'use the keychain');
    if (!this.options.allowUnsafePlaintext) {
      return this.toMemoryOnly(typed.code as CachePersistenceErrorCode, `${typed.message}; tokens are kept in memory only`);
    }
    this.mode = 'plaintext';
    this.state = 'plaintext-unsafe';
    this.filePath = `${this.options.cachePath}.unsafe-plaintext`;
    this.warn(typed.code as CachePersistenceErrorCode, typed.message);
    this.warn(Code.plaintextUnsafe, 'Tokens are stored UNENCRYPTED on disk (allowUnsafePlaintext is on)');
  }

  private toMemoryOnly(code: CachePersistenceErrorCode, message: string, cause?: unknown): void {
    this.mode = 'memory';
    if (this.state !== 'unsupported-format') this.state = 'memory-only';
    this.warn(code, message);
    this.log.log('warn', `token cache: ${message}`, { code, cause: cause instanceof Error ? cause.message : undefined });
  }

  private unsupported(parsed: ReturnType<typeof parseFile>): void {
    const version = parsed.kind === 'unsupported' ? parsed.version : -1;
    this.mode = 'memory';
    this.state = 'unsupported-format';
    this.warn(Code.formatUnsupported, `The token cache was written by a newer version of the app (format ${version}); it is left untouched and tokens are kept in memory only`);
  }

  private withTimeout<T>(promise: Promise<T>, action: string): Promise<T> {
    const ms = this.options.keyStoreTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CachePersistenceError(Code.keychainTimeout, `The keychain did not answer within ${ms} ms (while trying to ${action})`)), ms);
      timer.unref();
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  // ---- load -----------------------------------------------------------------------------------------

  private async reloadIfChanged(cache: SerializableTokenCache): Promise<void> {
    for (let attempt = 0; attempt < 3 && this.readable; attempt++) {
      let identity: FileIdentity | null;
      try {
        identity = currentIdentitySync(this.filePath);
      } catch (error) {
        return this.toMemoryOnly(Code.readFailed, 'The token cache file could not be read; tokens are kept in memory only', error);
      }
      if (this.seen !== undefined && sameIdentity(identity, this.seen)) return;
      if (identity === null) {
        // The file went away (another instance moved a bad one aside): the truth is an empty cache.
        if (this.seen) cache.deserialize(EMPTY_CACHE_JSON);
        this.seen = null;
        return;
      }
      if (await this.load(cache)) return;
    }
  }

  /** False when the file changed under us and the caller should look again. */
  private async load(cache: SerializableTokenCache): Promise<boolean> {
    const started = performance.now();
    let read;
    try {
      read = await readWithIdentity(this.filePath, this.maxFileBytes);
    } catch (error) {
      this.toMemoryOnly(Code.readFailed, 'The token cache file could not be read; tokens are kept in memory only', error);
      return true;
    }
    if (!read) return false;
    if (read.kind === 'not-regular') {
      const what = NOT_REGULAR[read.what];
      // A folder is left where it is: it is nothing this app made, may hold someone's files, and moving a
      // whole tree out of the way is not "setting a bad file aside". Everything else (a symlink — moved,
      // never followed —, a FIFO, a device, a socket) is moved aside like any unusable file.
      if (read.what === 'directory') {
        this.toMemoryOnly(Code.fileNotRegular, `The token cache path is ${what}, not a file; it is left untouched and tokens are kept in memory only`);
        return true;
      }
      return this.quarantine(cache, read.identity, Code.fileNotRegular, `The token cache path held ${what}, not a file`);
    }
    if (read.kind === 'too-large') {
      return this.quarantine(cache, read.identity, Code.fileTooLarge, `The token cache file is larger than ${this.maxFileBytes} bytes and was not read`);
    }
    let opened = openSealed(read.bytes, this.mode === 'plaintext' ? null : this.key);
    if (opened.kind === 'wrong-key') {
      // Another instance may have replaced the key (after finding it missing): read the keychain once more.
      const again = await this.withTimeout(this.keyStore.get(), 'read the cache key').catch(() => null);
      const key = again ? decodeKey(again) : null;
      if (key && key.id.equals(opened.keyId)) {
        this.key = key;
        opened = openSealed(read.bytes, key);
      }
    }
    const decrypted = performance.now();
    switch (opened.kind) {
      case 'ok':
        try {
          cache.deserialize(opened.plaintext.toString('utf8'));
        } catch {
          return this.quarantine(cache, read.identity, Code.fileCorrupt, 'The token cache held invalid data');
        } finally {
          opened.plaintext.fill(0);
        }
        this.seen = read.identity;
        this.stats.loads++;
        this.stats.lastLoadMs = performance.now() - started;
        this.stats.lastReadDecryptMs = decrypted - started;
        this.log.log('verbose', 'token cache: loaded', { bytes: read.bytes.length, ms: Math.round(this.stats.lastLoadMs * 10) / 10 });
        return true;
      case 'unsupported':
        this.unsupported(opened);
        return true;
      case 'wrong-key':
        return this.quarantine(cache, read.identity, Code.keyMismatch, 'The token cache was encrypted with a key that is no longer in the keychain');
      case 'wrong-algorithm':
        return this.quarantine(cache, read.identity, Code.fileCorrupt, 'The token cache was not written by this store');
      case 'corrupt':
        return this.quarantine(cache, read.identity, Code.fileCorrupt, `The token cache is damaged (${opened.reason})`);
    }
  }

  /** Move the bad file aside — only if it is still the one we read — and start empty. `problem` says what is wrong. */
  private async quarantine(cache: SerializableTokenCache, identity: FileIdentity, code: CachePersistenceErrorCode, problem: string): Promise<boolean> {
    if (this.mode === 'read-only') {
      // Without the lock nothing may be moved: leave it for a run that can write, and carry on in memory.
      this.toMemoryOnly(code, `${problem}; the folder cannot be written, so it is left untouched and tokens are kept in memory only`);
      return true;
    }
    const temporary = this.lock ? null : await this.takeLock().catch((error: unknown) => {
      // A lock held elsewhere for over the timeout (this may be the very first access): not worth failing for.
      this.toMemoryOnly(Code.lockTimeout, `${problem}; the lock is held by another instance, so it is left untouched and tokens are kept in memory only`, error);
      return null;
    });
    if (!this.lock && !temporary) return true; // lock impossible: now memory-only, file untouched
    try {
      if (!sameIdentity(await currentIdentity(this.filePath), identity)) return false;
      await this.moveAsideAndWarn(code, `${problem}; it was moved aside`);
      cache.deserialize(EMPTY_CACHE_JSON);
      this.seen = null;
      return true;
    } finally {
      await temporary?.release().catch(() => {});
    }
  }

  private async moveAsideAndWarn(code: CachePersistenceErrorCode, message: string): Promise<void> {
    try {
      const movedTo = await moveAside(this.filePath, this.clock.now(), 'corrupt');
      this.state = 'recovered-from-corruption';
      this.warn(code, message, movedTo);
      this.log.log('warn', `token cache: ${message}`, { code, movedTo });
    } catch (error) {
      // Cannot move it (permissions): do not overwrite what we could not keep.
      this.toMemoryOnly(Code.readFailed, 'An unreadable token cache could not be moved aside; tokens are kept in memory only', error);
    }
  }

  // ---- save -----------------------------------------------------------------------------------------

  private async save(cache: SerializableTokenCache): Promise<void> {
    if (!this.persistent) return;
    const started = performance.now();
    try {
      const plaintext = Buffer.from(cache.serialize(), 'utf8');
      const serialized = performance.now();
      const data = this.mode === 'encrypted' && this.key ? seal(this.key, plaintext) : wrapPlaintext(plaintext);
      if (this.mode === 'encrypted') plaintext.fill(0);
      this.seen = await writeFileAtomic(this.filePath, data);
      this.stats.saves++;
      this.stats.lastSaveMs = performance.now() - started;
      this.stats.lastEncryptWriteMs = performance.now() - serialized;
      this.log.log('verbose', 'token cache: saved', { bytes: data.length, ms: Math.round(this.stats.lastSaveMs * 10) / 10 });
    } catch (error) {
      this.warn(Code.writeFailed, 'The token cache could not be saved; the latest changes are in memory only');
      this.log.log('error', 'token cache: save failed', { cause: error instanceof Error ? error.message : undefined });
    }
  }

  /** A read access that changed the cache anyway: save only if nobody changed the file since we read it. */
  private async saveWithoutWriteAccess(cache: SerializableTokenCache): Promise<void> {
    const lock = await this.takeLock().catch(() => null);
    if (!lock) return;
    try {
      if (sameIdentity(await currentIdentity(this.filePath), this.seen ?? null)) await this.save(cache);
      else this.warn(Code.writeSkipped, 'A change made during a read access was not saved: another instance changed the cache first');
    } finally {
      await lock.release().catch(() => {});
    }
  }

  private warn(code: CachePersistenceErrorCode, message: string, movedTo?: string): void {
    this.warningList.push({ code, message, at: new Date(this.clock.now()), ...(movedTo ? { movedTo } : {}) });
    if (this.warningList.length > MAX_WARNINGS) this.warningList.splice(0, this.warningList.length - MAX_WARNINGS);
  }
}
