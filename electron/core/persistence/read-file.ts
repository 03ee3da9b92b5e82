// Read a file and the identity of exactly what was read (fstat on the same descriptor), so a rename by
// another process between "stat" and "read" cannot make us record the wrong version.
//
// Whatever sits at the path is untrusted: a symlink to /dev/zero would be read forever, a FIFO would
// block the open (and start-up) until some writer appears, a huge file would be read whole into memory.
// So the file is opened without following a symlink and without blocking, must be a regular file by
// fstat of the opened descriptor, and is read up to a cap — anything else is reported, never read.
import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { identityOf, type FileIdentity } from './file-identity.js';

/** The default cap on the cache file: about six times the 100,000-token cache of the benchmark. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

export type NotRegularKind = 'directory' | 'symlink' | 'fifo' | 'socket' | 'device' | 'other';

export type ReadOutcome =
  | { readonly kind: 'ok'; readonly bytes: Buffer; readonly identity: FileIdentity }
  | { readonly kind: 'not-regular'; readonly what: NotRegularKind; readonly identity: FileIdentity }
  | { readonly kind: 'too-large'; readonly size: bigint; readonly identity: FileIdentity };

// O_NOFOLLOW: a symlink at the path is refused (ELOOP), not followed. O_NONBLOCK: opening a FIFO returns
// at once instead of waiting for a writer (it has no effect on a regular file). Windows has neither
// (and no FIFO to open), where 0 leaves them out.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function kindOf(s: BigIntStats): NotRegularKind | 'file' {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isFIFO()) return 'fifo';
  if (s.isSocket()) return 'socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'device';
  return 'other';
}

/**
 * Open `path` for reading only if it is a regular file. Null when nothing is there; a `not-regular`
 * outcome when something else is (the open refused it, or fstat says so). Other errors (EACCES…) throw.
 */
export async function openRegular(path: string): Promise<{ handle: FileHandle; stats: BigIntStats } | { kind: 'not-regular'; what: NotRegularKind; identity: FileIdentity } | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // ELOOP (a symlink under O_NOFOLLOW), ENXIO (a socket), EISDIR (Windows)…: ask lstat what is there
    // rather than trusting errno names, and rethrow when it is a plain file we may not read.
    const s = await lstat(path, { bigint: true }).catch(() => null);
    const what = s ? kindOf(s) : 'file';
    if (!s || what === 'file') throw error;
    return { kind: 'not-regular', what, identity: identityOf(s) };
  }
  let stats: BigIntStats;
  try {
    stats = await handle.stat({ bigint: true });
  } catch (error) {
    await handle.close();
    throw error;
  }
  const what = kindOf(stats);
  if (what !== 'file') {
    await handle.close();
    return { kind: 'not-regular', what, identity: identityOf(stats) };
  }
  return { handle, stats };
}

/** Read at most `maxBytes + 1` bytes from an open handle: more than maxBytes means "too large". */
export async function readCapped(handle: FileHandle, expected: number, maxBytes: number): Promise<Buffer | null> {
  // The size from fstat is a hint only: the file may grow or shrink while it is read.
  let buffer = Buffer.alloc(Math.min(expected, maxBytes) + 1);
  let total = 0;
  for (;;) {
    if (total === buffer.length) {
      if (buffer.length > maxBytes) return null;
      const bigger = Buffer.alloc(Math.min(buffer.length * 2, maxBytes + 1));
      buffer.copy(bigger, 0, 0, total);
      buffer = bigger;
    }
    const { bytesRead } = await handle.read(buffer, total, buffer.length - total, total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return total > maxBytes ? null : buffer.subarray(0, total);
}

export async function readWithIdentity(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<ReadOutcome | null> {
  const opened = await openRegular(path);
  if (!opened || 'kind' in opened) return opened;
  const { handle, stats } = opened;
  try {
    const identity = identityOf(stats);
    if (stats.size > BigInt(maxBytes)) return { kind: 'too-large', size: stats.size, identity };
    const bytes = await readCapped(handle, Number(stats.size), maxBytes);
    if (!bytes) return { kind: 'too-large', size: stats.size, identity };
    return { kind: 'ok', bytes, identity };
  } finally {
    await handle.close();
  }
}
