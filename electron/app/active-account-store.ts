// The active account, remembered across restarts: just its homeAccountId (not a secret) in a small file.
//
// Remembering it is a convenience, never a reason for a sign-in or a switch to fail: a save that cannot
// be written (read-only folder, full disk) is a warning beside the cache's, not an error. Saves run one
// at a time, each through its own temp file (random name, created exclusively, 0600) renamed over the
// target, and a burst collapses into writing the latest value: concurrent switches never trip over each
// other's temp file, and the file always ends holding the last choice.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { systemClock, type Clock, type Logger } from '../core/index.js';
import { redacting } from '../core/logger.js';
import { CachePersistenceErrorCode, type KeychainPersistenceWarning } from '../core/persistence/index.js';
import { openRegular, readCapped } from '../core/persistence/read-file.js';
import type { ActiveAccountStore } from './controller.js';

/** An id is ~80 characters; nothing legitimate is bigger, and a hostile file is never read whole. */
const MAX_FILE_BYTES = 4096;

export interface FileActiveAccountStore extends ActiveAccountStore {
  /** At most one: why the last save failed (cleared by the next save that works). */
  readonly warnings: readonly KeychainPersistenceWarning[];
  /** Resolve once no save is running. */
  flush(): Promise<void>;
}

export interface FileActiveAccountStoreOptions {
  logger?: Logger;
  clock?: Clock;
}

const NOTHING = Symbol('nothing queued');

export function fileActiveAccountStore(path: string, options: FileActiveAccountStoreOptions = {}): FileActiveAccountStore {
  const log = redacting(options.logger);
  const clock = options.clock ?? systemClock;
  let warnings: KeychainPersistenceWarning[] = [];
  let queued: string | null | typeof NOTHING = NOTHING;
  let draining: Promise<void> | null = null;

  async function writeOnce(homeAccountId: string | null): Promise<void> {
    try {
      await writeAtomic(path, JSON.stringify({ homeAccountId }));
      warnings = [];
    } catch (error) {
      warnings = [
        {
          code: CachePersistenceErrorCode.activeAccountWriteFailed,
          message: 'The active account could not be saved; it will not be remembered after a restart',
          at: new Date(clock.now()),
        },
      ];
      log.log('warn', 'active account: save failed', { cause: (error as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  }

  async function drain(): Promise<void> {
    try {
      while (queued !== NOTHING) {
        const next = queued;
        queued = NOTHING;
        await writeOnce(next);
      }
    } finally {
      // In the same tick as the last check: a save arriving after it starts a new drain, never waits on this one.
      draining = null;
    }
  }

  return {
    get warnings() {
      return warnings;
    },
    async load() {
      try {
        const opened = await openRegular(path);
        if (!opened || 'kind' in opened) return null;
        let bytes: Buffer | null;
        try {
          bytes = await readCapped(opened.handle, Number(opened.stats.size), MAX_FILE_BYTES);
        } finally {
          await opened.handle.close();
        }
        const parsed: unknown = bytes ? JSON.parse(bytes.toString('utf8')) : null;
        const id = (parsed as { homeAccountId?: unknown } | null)?.homeAccountId;
        return typeof id === 'string' ? id : null;
      } catch {
        return null; // missing or unreadable: no account is active, nothing else depends on it
      }
    },
    /** Never throws. Resolves once the latest value asked for (this one or a later one) was written or failed. */
    save(homeAccountId) {
      queued = homeAccountId;
      draining ??= drain();
      return draining;
    },
    async flush() {
      await draining;
    },
  };
}

async function writeAtomic(path: string, text: string): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    // 'wx': never reuse (or follow a symlink planted at) an existing name; 0600 (a umask can only narrow it).
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}
