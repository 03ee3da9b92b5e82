// Read a file and the identity of exactly what was read (fstat on the same descriptor), so a rename by
// another process between "stat" and "read" cannot make us record the wrong version.
import { open } from 'node:fs/promises';
import { identityOf, type FileIdentity } from './file-identity.js';

export async function readWithIdentity(path: string): Promise<{ bytes: Buffer; identity: FileIdentity } | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const identity = identityOf(await handle.stat({ bigint: true }));
    return { bytes: await handle.readFile(), identity };
  } finally {
    await handle.close();
  }
}
