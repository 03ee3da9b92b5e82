// The active account, remembered across restarts: just its homeAccountId (not a secret) in a small file.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ActiveAccountStore } from './controller.js';

export function fileActiveAccountStore(path: string): ActiveAccountStore {
  return {
    async load() {
      try {
        const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
        const id = (parsed as { homeAccountId?: unknown })?.homeAccountId;
        return typeof id === 'string' ? id : null;
      } catch {
        return null; // missing or unreadable: no account is active, nothing else depends on it
      }
    },
    async save(homeAccountId) {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ homeAccountId }));
      await rename(temp, path);
    },
  };
}
