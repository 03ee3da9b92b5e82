// "Has the file changed since I last read or wrote it?" answered by one stat. Every write creates a
// new inode (temp file + rename), but inodes are reused quickly, so the nanosecond mtime and the size
// are compared too. lstat, never stat: what matters is the entry at the path (a symlink placed there is
// itself the thing to judge and move aside, and following it to /dev/zero or a FIFO must not happen).
import { lstatSync, type BigIntStats } from 'node:fs';
import { lstat } from 'node:fs/promises';

export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
}

export const identityOf = (s: BigIntStats): FileIdentity => ({ dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs });

export function sameIdentity(a: FileIdentity | null | undefined, b: FileIdentity | null | undefined): boolean {
  if (!a || !b) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/** The identity of the file at `path`, or null when there is none. */
export async function currentIdentity(path: string): Promise<FileIdentity | null> {
  try {
    return identityOf(await lstat(path, { bigint: true }));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The same, synchronously: the change check runs before every cache access, and an async stat costs a
 * thread-pool round trip (~50-100 µs under load) against ~5 µs for a stat of a local file.
 */
export function currentIdentitySync(path: string): FileIdentity | null {
  const s = lstatSync(path, { bigint: true, throwIfNoEntry: false });
  return s ? identityOf(s) : null;
}
