// Key material lives in the data folder (gitignored `.data/idp` by default): created on first start,
// reused afterwards so a restarted IdP keeps its certificate pin and token signatures valid.
// Several IdPs may start at once on the same folder (parallel test files, `npm start` + tests), so
// files are created exclusively: the first writer wins and everyone else reads its file.
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';

export async function ensureDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
}

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function tmpPathFor(path: string): string {
  return `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
}

/** Write-then-rename, owner-only: a crash never leaves half a file, and other users cannot read it. */
export async function writePrivate(path: string, contents: string): Promise<void> {
  const tmp = tmpPathFor(path);
  await writeFile(tmp, contents, { mode: 0o600 });
  await rename(tmp, path);
}

/**
 * Create `path` with `contents` unless it already exists; returns what the file holds afterwards
 * (ours, or the concurrent winner's). link() is atomic and fails if the target exists.
 */
export async function createPrivateOnce(path: string, contents: string): Promise<string> {
  const tmp = tmpPathFor(path);
  await writeFile(tmp, contents, { mode: 0o600 });
  try {
    await link(tmp, path);
    return contents;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFile(path, 'utf8');
  } finally {
    await unlink(tmp).catch(() => {});
  }
}
