// A cross-process lock without native code: the lock file is created complete (written to a temp file,
// then hard-linked into place — link fails with EEXIST if another process holds it, and a reader never
// sees a half-written owner). A lock is stale when its owner's pid is gone on this host, or when its
// mtime is more than `staleMs` away from now — in either direction: the holder touches it every
// staleMs/3 (a keychain unlock prompt may keep it for a while), so only a hung or vanished holder goes
// stale, and an mtime in the future (a clock set back, a hostile or copied file) would otherwise never
// age and block every start for good. Whatever is at the lock path is untrusted: it is opened without
// following a symlink or blocking on a FIFO, and only its first few KB are read; anything that is not a
// regular file is not a lock we wrote and is stale at once. Breaking a stale lock happens under a
// second, short-lived "break" lock, re-checking that the lock is still the one judged stale, so two
// waiters cannot both break and both enter.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, unlink, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CachePersistenceError, CachePersistenceErrorCode } from './errors.js';
import { isProcessAlive } from './process-alive.js';
import { openRegular, readCapped } from './read-file.js';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly nonce: string;
}

export interface FileLockOptions {
  /**
   * A lock whose mtime is further than this from now (older, or in the future) is broken even if its pid
   * looks alive (pid reuse, hung holder, other host, clock change).
   */
  readonly staleMs?: number;
  /** Give up (CachePersistenceError cache_lock_timeout) after waiting this long. */
  readonly timeoutMs?: number;
}

export interface HeldLock {
  release(): Promise<void>;
}

/** Nonces of locks this process holds: a lock naming our own pid but another nonce is a previous life's. */
const heldHere = new Set<string>();

const HOST = hostname();

/** Pure staleness rule, given what was read from the lock file. */
export function isStale(
  owner: LockOwner | null,
  ageMs: number,
  staleMs: number,
  me: { pid: number; host: string; holds: (nonce: string) => boolean; alive: (pid: number) => boolean },
): boolean {
  if (owner && owner.host === me.host) {
    if (owner.pid === me.pid) return !me.holds(owner.nonce);
    if (!me.alive(owner.pid)) return true;
  }
  // Negative age = an mtime in the future: it would never age past staleMs, so it counts the same.
  return Math.abs(ageMs) > staleMs;
}

export function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.nonce === 'string' ? { pid: o.pid, host: o.host, nonce: o.nonce } : null;
  } catch {
    return null;
  }
}

/** Create `path` holding `content`, atomically and only if absent. False when it already exists. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const temp = join(dirname(path), `${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temp, content, { flag: 'wx', mode: 0o600 });
  try {
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
  }
}

interface Seen {
  /** What identifies this exact lock for breakStale's re-check: its content, or the entry's identity. */
  readonly raw: string;
  readonly owner: LockOwner | null;
  readonly ageMs: number;
  /** False for a directory, FIFO, symlink, device… at the lock path: never a lock this code wrote. */
  readonly regular: boolean;
}

/** Ours are ~100 bytes; a bigger file is not a lock we wrote, and is never read whole. */
const MAX_LOCK_BYTES = 4096;

async function readLock(path: string): Promise<Seen | null> {
  const opened = await openRegular(path);
  if (!opened) return null;
  if ('kind' in opened) {
    const { dev, ino, mtimeNs } = opened.identity;
    return { raw: `\0${opened.what}:${dev}:${ino}:${mtimeNs}`, owner: null, ageMs: 0, regular: false };
  }
  try {
    const bytes = await readCapped(opened.handle, Number(opened.stats.size), MAX_LOCK_BYTES);
    const raw = bytes ? bytes.toString('utf8') : '';
    return { raw: bytes ? raw : `\0oversized:${opened.stats.ino}:${opened.stats.mtimeNs}`, owner: parseOwner(raw), ageMs: Date.now() - Number(opened.stats.mtimeMs), regular: true };
  } finally {
    await opened.handle.close();
  }
}

const me = { pid: process.pid, host: HOST, holds: (n: string) => heldHere.has(n), alive: isProcessAlive };

/** Remove the lock only if it is still exactly the one judged stale. */
async function breakStale(path: string, judged: Seen): Promise<void> {
  const breaker = `${path}.break`;
  const mine = JSON.stringify({ pid: process.pid, host: HOST, nonce: randomBytes(8).toString('hex') });
  if (!(await createExclusive(breaker, mine))) {
    // Another waiter is breaking it right now (for microseconds); a breaker left by a killed process is removed.
    const other = await readLock(breaker);
    if (other && (!other.regular || isStale(other.owner, other.ageMs, 2_000, me))) await unlink(breaker).catch(() => {});
    return;
  }
  try {
    const now = await readLock(path);
    if (now && now.raw === judged.raw) {
      // A lock file that cannot be removed (a directory there, a folder turned read-only) would make
      // every waiter spin until its timeout: say so at once (cache_lock_failed) instead.
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
  } finally {
    await unlink(breaker).catch(() => {});
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<HeldLock> {
  const staleMs = options.staleMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const nonce = randomBytes(8).toString('hex');
  const content = JSON.stringify({ pid: process.pid, host: HOST, nonce, at: new Date().toISOString() });
  const deadline = Date.now() + timeoutMs;
  let delay = 1;
  try {
    for (;;) {
      if (await createExclusive(path, content)) {
        heldHere.add(nonce);
        const heartbeat = setInterval(() => void touchIfOurs(path, nonce), Math.max(100, staleMs / 3));
        heartbeat.unref();
        return {
          release: () => {
            clearInterval(heartbeat);
            return releaseLock(path, nonce);
          },
        };
      }
      const seen = await readLock(path);
      if (seen && (!seen.regular || isStale(seen.owner, seen.ageMs, staleMs, me))) {
        await breakStale(path, seen);
        continue;
      }
      if (Date.now() > deadline) {
        throw new CachePersistenceError(CachePersistenceErrorCode.lockTimeout, `Another process has held the token cache lock for over ${timeoutMs} ms`);
      }
      // Jittered backoff: two processes hammering the same lock must not fall into lockstep.
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 25);
    }
  } catch (error) {
    if (error instanceof CachePersistenceError) throw error;
    throw new CachePersistenceError(CachePersistenceErrorCode.lockFailed, 'The token cache lock file could not be created', { cause: error });
  }
}

async function touchIfOurs(path: string, nonce: string): Promise<void> {
  const seen = await readLock(path).catch(() => null);
  if (seen?.owner?.nonce === nonce) await utimes(path, new Date(), new Date()).catch(() => {});
}

async function releaseLock(path: string, nonce: string): Promise<void> {
  heldHere.delete(nonce);
  const seen = await readLock(path).catch(() => null);
  // Only remove our own lock: if it was judged stale and broken, it may be someone else's by now.
  if (seen?.owner?.nonce === nonce) await unlink(path).catch(() => {});
}
