// Several app instances on one cache file, with the real keychain: concurrent writers lose nothing, and
// a writer killed at any instant leaves a cache that loads.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, keyringUnavailable, spawnNodeTs, type KeyringSession } from '../../../../testkit/keyring.js';
import { createKeychainPersistence } from '../index.js';
import { access, FakeTokenCache } from './fake-cache.js';
import { CHILD, childEnv, parseResult, runChild, uniqueService, useKeyringSession, withTempDir, type ChildOptions } from './helpers.js';

const skip = keyringUnavailable();
let root: string;
let session: KeyringSession;
before(async () => {
  if (skip) return;
  root = await mkdtemp(join(tmpdir(), 'keyring-session-'));
  session = await useKeyringSession(join(root, 'home'));
});
after(async () => {
  if (skip) return;
  await session.stop();
  await rm(root, { recursive: true, force: true });
});

const WRITE_MS = Number(process.env.CACHE_TEST_WRITE_MS ?? 10_000);

test(`two processes writing concurrently for ${WRITE_MS / 1000} s: no account lost`, { skip }, async (t) => {
  await withTempDir(async (dir) => {
    const o: ChildOptions = { cachePath: join(dir, 'app', 'tokens.bin'), service: uniqueService() };
    await runChild(o, 'load'); // create the key first, so both start on equal terms
    // Bounded both by time and by count; the assertion is on content only.
    const writers = ['a', 'b'].map((prefix) => collect(spawnNodeTs(CHILD, ['writer', prefix, String(WRITE_MS), '20000'], childEnv(o)), WRITE_MS + 60_000));
    const [a, b] = (await Promise.all(writers)).map(parseResult);
    assert.ok(a!.added! > 0 && b!.added! > 0);
    const expected = [
      ...Array.from({ length: a!.added! }, (_, i) => `a-${i}`),
      ...Array.from({ length: b!.added! }, (_, i) => `b-${i}`),
    ].sort();
    const final = await runChild(o, 'load');
    assert.deepEqual(final.warnings, []);
    assert.equal(final.accounts.length, expected.length, `a wrote ${a!.added}, b wrote ${b!.added}`);
    assert.deepEqual(final.accounts, expected);
    t.diagnostic(`a wrote ${a!.added}, b wrote ${b!.added} accounts; all ${expected.length} present`);
  });
});

test('kill -9 during writes, in a loop: the cache always loads, and every announced write is there', { skip }, async (t) => {
  await withTempDir(async (dir) => {
    const o: ChildOptions = { cachePath: join(dir, 'app', 'tokens.bin'), service: uniqueService() };
    const rounds = Number(process.env.CACHE_TEST_KILL_ROUNDS ?? 12);
    const durable = new Set<string>();
    for (let round = 0; round < rounds; round++) {
      const child = spawnNodeTs(CHILD, ['churn', `k${round}`, '100000'], childEnv(o));
      const done = collect(child, 120_000);
      let out = '';
      // Wait until it is in its write loop, then kill it at a varying instant inside that loop.
      await new Promise<void>((resolve) => {
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (/wrote 2\n/.test(out)) resolve();
        });
        child.on('close', () => resolve());
      });
      await new Promise((r) => setTimeout(r, (round * 7) % 40));
      child.kill('SIGKILL');
      const result = await done;
      for (const m of (out + result.stdout).matchAll(/wrote (\d+)\n/g)) durable.add(`k${round}-${m[1]}`);

      // A fresh instance in this process (new persistence each time) must load cleanly.
      const p = createKeychainPersistence({ cachePath: o.cachePath, serviceName: o.service });
      const cache = new FakeTokenCache();
      await access(p, cache);
      assert.equal(p.state, 'encrypted', `round ${round}: ${JSON.stringify(p.warnings)}`);
      assert.deepEqual(p.warnings, []);
      const present = new Set(cache.accountIds());
      for (const id of durable) assert.ok(present.has(id), `round ${round}: ${id} was announced durable but is missing`);
    }
    const names = await readdir(join(dir, 'app'));
    assert.deepEqual(names.filter((n) => n.includes('.corrupt-')), [], 'nothing was ever judged corrupt');
    assert.deepEqual(names.filter((n) => n.endsWith('.tmp') || n.endsWith('.lock')), [], 'temp files and locks of killed writers were cleaned up');
    t.diagnostic(`${rounds} rounds killed mid-write; ${durable.size} announced writes all present`);
  });
});
