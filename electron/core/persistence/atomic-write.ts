// Replace a file so that a crash at any instant leaves either the old or the new content: write a
// temp file in the same directory (same filesystem, so rename is atomic), fsync it, rename it over
// the target, then fsync the directory so the rename itself survives a power cut. The temp file
// only ever holds what the target will hold (ciphertext), never a plaintext intermediate.
import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { identityOf, type FileIdentity } from './file-identity.js';
import { isProcessAlive } from './process-alive.js';

const tempName = (target: string): string => `${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
const TEMP_PATTERN = /^(.*)\.(\d+)\.[0-9a-f]{8}\.tmp$/;

export async function writeFileAtomic(target: string, data: Buffer): Promise<FileIdentity> {
  const temp = join(dirname(target), tempName(target));
  let identity: FileIdentity;
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
      identity = identityOf(await handle.stat({ bigint: true }));
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
  await fsyncDirectory(dirname(target));
  return identity;
}

/**
 * On Windows a rename over a file another process has open (a reader, an antivirus scan) fails with
 * EPERM/EBUSY for a moment; POSIX never does. A few short retries cover it.
 */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 8 || !(code === 'EPERM' || code === 'EBUSY' || code === 'EACCES')) throw error;
      await new Promise((r) => setTimeout(r, 10 * (attempt + 1)));
    }
  }
}

/** Some filesystems refuse to open or fsync a directory; the rename is still atomic there. */
async function fsyncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/** Temp files left by a writer that was killed mid-write (their pid is gone). They hold ciphertext only. */
export async function removeOrphanTempFiles(target: string): Promise<number> {
  let removed = 0;
  const dir = dirname(target);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = TEMP_PATTERN.exec(name);
    if (!match || match[1] !== basename(target)) continue;
    const pid = Number(match[2]);
    if (pid === process.pid || isProcessAlive(pid)) continue;
    await unlink(join(dir, name)).then(() => removed++, () => {});
  }
  return removed;
}
