// A file we cannot use is moved aside, never deleted: support can look at it, and a user whose keychain
// entry comes back could still recover it. The name says when and why.
import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';

/** `cache.bin` → `cache.bin.corrupt-20261129T031200Z-1a2b` (the suffix keeps two moves in one second apart). */
export function quarantinePath(path: string, nowMs: number, reason: 'corrupt' | 'orphaned'): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${path}.${reason}-${stamp}-${randomBytes(2).toString('hex')}`;
}

export async function moveAside(path: string, nowMs: number, reason: 'corrupt' | 'orphaned'): Promise<string> {
  const target = quarantinePath(path, nowMs, reason);
  await rename(path, target);
  return target;
}
