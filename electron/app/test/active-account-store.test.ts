// The remembered active account on the real filesystem (issue 11): concurrent saves, file mode, a place
// that cannot be written, and a hostile file at the path.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileActiveAccountStore } from '../active-account-store.js';

async function withDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'active-account-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('20 concurrent saves all succeed, the last one wins, the file is 0600 and no temp file is left', { timeout: 20_000 }, async () => {
  await withDir(async (dir) => {
    const path = join(dir, 'app', 'active-account.json');
    const store = fileActiveAccountStore(path);
    const previous = process.umask(0o022); // the usual umask: a plain writeFile would make the file 0644
    try {
      const ids = Array.from({ length: 20 }, (_, i) => `account-${i}`);
      const results = await Promise.allSettled(ids.map((id) => store.save(id)));
      assert.deepEqual(results.filter((r) => r.status === 'rejected').length, 0);
      assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { homeAccountId: 'account-19' });
      assert.equal(await store.load(), 'account-19');
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(join(dir, 'app')), ['active-account.json']);
      assert.deepEqual(store.warnings, []);
      // And in two bursts, with a null (no account) last.
      await Promise.all([store.save('a'), store.save('b')]);
      await Promise.all([store.save('c'), store.save(null)]);
      assert.equal(await store.load(), null);
      assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { homeAccountId: null });
    } finally {
      process.umask(previous);
    }
  });
});

test('a save that cannot be written does not throw: it becomes a warning, cleared by the next save that works', { timeout: 20_000 }, async () => {
  await withDir(async (dir) => {
    // A regular file where the folder should be: mkdir (EEXIST) and open (ENOTDIR) fail, even for root.
    await writeFile(join(dir, 'not-a-folder'), '');
    const lines: string[] = [];
    const store = fileActiveAccountStore(join(dir, 'not-a-folder', 'active-account.json'), {
      logger: { log: (level, message, context) => lines.push(`${level} ${message} ${JSON.stringify(context)}`) },
    });
    await store.save('alice.tenant');
    assert.deepEqual(store.warnings.map((w) => w.code), ['active_account_write_failed']);
    await store.save('bob.tenant');
    assert.equal(store.warnings.length, 1, 'one warning for the condition, not one per save');
    assert.equal(await store.load(), null);
    assert.ok(lines.some((l) => l.startsWith('warn') && /"cause":"E[A-Z]+"/.test(l)), lines.join('\n'));
    assert.ok(!lines.join('\n').includes('alice'), 'no account id in the log');

    const fine = fileActiveAccountStore(join(dir, 'ok', 'active-account.json'));
    await fine.save('x');
    assert.deepEqual(fine.warnings, []);
  });
});

test('a FIFO or a huge file at the path is not read: no account is active, and load returns at once', { skip: process.platform === 'win32', timeout: 20_000 }, async () => {
  await withDir(async (dir) => {
    const fifo = join(dir, 'fifo.json');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.equal(await fileActiveAccountStore(fifo).load(), null); // the old readFile waited for a writer forever
    const huge = join(dir, 'huge.json');
    await writeFile(huge, `{"homeAccountId":"x","pad":"${'p'.repeat(10_000)}"}`);
    assert.equal(await fileActiveAccountStore(huge).load(), null);
    // And a save replaces the FIFO by a regular file.
    const store = fileActiveAccountStore(fifo);
    await store.save('y');
    assert.equal(await store.load(), 'y');
  });
});
