// The persistence logic in one process, with an in-memory KeyStore (the real keychain is covered in
// keychain.test.ts and multiprocess.test.ts): reload, replace semantics, coalescing, faults, logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createKeychainPersistence, createMemoryKeyStore, CachePersistenceError, type KeyStore, type KeychainPersistenceOptions } from '../index.js';
import { FORMAT_VERSION } from '../file-format.js';
import { access, accessTokenOf, FakeTokenCache, refreshTokenOf, usernameOf } from './fake-cache.js';
import { withTempDir } from './helpers.js';

const make = (dir: string, keyStore: KeyStore, extra: Partial<KeychainPersistenceOptions> = {}) =>
  createKeychainPersistence({ cachePath: join(dir, 'cache', 'tokens.bin'), serviceName: 'unused', keyStore, ...extra });

const failingStore = (message: string): KeyStore => ({
  description: 'failing',
  get: () => Promise.reject(new Error(message)),
  set: () => Promise.reject(new Error(message)),
  delete: () => Promise.reject(new Error(message)),
});

test('a second instance loads what the first wrote; the key is created once and reused', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    const a = make(dir, keys);
    const cacheA = new FakeTokenCache();
    await access(a, cacheA, (c) => c.addAccount('alice'));
    assert.equal(a.state, 'encrypted');
    const key = await keys.get();
    assert.match(key ?? '', /^[A-Za-z0-9+/]{43}=$/);

    const b = make(dir, keys);
    const cacheB = new FakeTokenCache();
    await access(b, cacheB);
    assert.deepEqual(cacheB.accountIds(), ['alice']);
    assert.equal(await keys.get(), key);
    assert.deepEqual([...a.warnings, ...b.warnings], []);
  });
});

test('reload-when-changed replaces memory: a removal elsewhere does not come back', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    const a = make(dir, keys);
    const b = make(dir, keys);
    const cacheA = new FakeTokenCache();
    const cacheB = new FakeTokenCache();
    await access(a, cacheA, (c) => (c.addAccount('alice'), c.addAccount('bob')));
    await access(b, cacheB);
    assert.deepEqual(cacheB.accountIds(), ['alice', 'bob']);
    await access(a, cacheA, (c) => c.removeAccount('alice'));
    await access(b, cacheB, (c) => c.addAccount('carol'));
    await access(a, cacheA);
    assert.deepEqual(cacheA.accountIds(), ['bob', 'carol']);
    assert.deepEqual(cacheB.accountIds(), ['bob', 'carol']);
  });
});

test('a burst of concurrent writes is coalesced, and every write is durable when its access returns', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    const p = make(dir, keys);
    const cache = new FakeTokenCache();
    await access(p, cache); // initialise
    const savesBefore = p.stats.saves;
    const ids = Array.from({ length: 40 }, (_, i) => `u${i}`);
    await Promise.all(ids.map((id) => access(p, cache, (c) => c.addAccount(id))));
    const saves = p.stats.saves - savesBefore;
    assert.ok(saves >= 1 && saves < ids.length, `40 writes took ${saves} saves`);
    const fresh = new FakeTokenCache();
    await access(make(dir, keys), fresh);
    assert.deepEqual(fresh.accountIds(), [...ids].sort());
    assert.deepEqual(await readdir(join(dir, 'cache')), ['tokens.bin'], 'no lock or temp file left behind');
  });
});

test('a newer format on disk is never overwritten', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    const first = make(dir, keys);
    await access(first, new FakeTokenCache(), (c) => c.addAccount('alice'));
    const path = join(dir, 'cache', 'tokens.bin');
    const bytes = await readFile(path);
    bytes[4] = FORMAT_VERSION + 1;
    await writeFile(path, bytes);

    const p = make(dir, keys);
    const cache = new FakeTokenCache();
    await access(p, cache, (c) => c.addAccount('bob'));
    assert.equal(p.state, 'unsupported-format');
    assert.deepEqual(p.warnings.map((w) => w.code), ['cache_format_unsupported']);
    assert.deepEqual(await readFile(path), bytes);
    assert.deepEqual(cache.accountIds(), ['bob'], 'still works in memory');
  });
});

test('keychain unusable: memory-only with a typed warning, nothing written, no throw', async () => {
  await withTempDir(async (dir) => {
    const p = make(dir, failingStore('Cannot create an item in a locked collection'));
    const cache = new FakeTokenCache();
    await access(p, cache, (c) => c.addAccount('alice'));
    assert.equal(p.state, 'memory-only');
    assert.deepEqual(p.warnings.map((w) => w.code), ['keychain_locked']);
    assert.deepEqual(cache.accountIds(), ['alice']);
    const files = await readdir(join(dir, 'cache'));
    assert.deepEqual(files, [], `nothing on disk: ${files}`);
  });
});

test('allowUnsafePlaintext (explicit) stores plaintext in its own, clearly named file', async () => {
  await withTempDir(async (dir) => {
    const p = make(dir, failingStore('Cannot autolaunch D-Bus without X11 $DISPLAY'), { allowUnsafePlaintext: true });
    await access(p, new FakeTokenCache(), (c) => c.addAccount('alice'));
    assert.equal(p.state, 'plaintext-unsafe');
    assert.deepEqual(p.warnings.map((w) => w.code), ['keychain_no_dbus', 'cache_plaintext_unsafe']);
    assert.ok(p.filePath.endsWith('tokens.bin.unsafe-plaintext'));
    const again = new FakeTokenCache();
    await access(make(dir, failingStore('Cannot autolaunch D-Bus without X11 $DISPLAY'), { allowUnsafePlaintext: true }), again);
    assert.deepEqual(again.accountIds(), ['alice']);
  });
});

test('a key that is not a 256-bit base64 key is replaced and the old file moved aside', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    await access(make(dir, keys), new FakeTokenCache(), (c) => c.addAccount('alice'));
    await keys.set('not-a-key');
    const p = make(dir, keys);
    const cache = new FakeTokenCache();
    await access(p, cache);
    assert.equal(p.state, 'recovered-from-corruption');
    assert.deepEqual(p.warnings.map((w) => w.code), ['cache_key_invalid']);
    assert.match(p.warnings[0]?.movedTo ?? '', /tokens\.bin\.corrupt-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    assert.deepEqual(cache.accountIds(), []);
  });
});

test('a lock left by a dead process is broken; nothing waits for it', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    const p = make(dir, keys, { lock: { staleMs: 3_600_000, timeoutMs: 3_600_000 } });
    const cache = new FakeTokenCache();
    await access(p, cache);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(join(dir, 'cache', 'tokens.bin.lock'), JSON.stringify({ pid: dead, host: hostname(), nonce: 'gone' }));
    await access(p, cache, (c) => c.addAccount('alice'));
    const again = new FakeTokenCache();
    await access(make(dir, keys), again);
    assert.deepEqual(again.accountIds(), ['alice']);
  });
});

test('a before that fails releases its turn, and the error is typed', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    const p = make(dir, keys, { lock: { staleMs: 3_600_000, timeoutMs: 50 } });
    const cache = new FakeTokenCache();
    await access(p, cache);
    // A live process (our parent) holds the lock and never lets go.
    await writeFile(join(dir, 'cache', 'tokens.bin.lock'), JSON.stringify({ pid: process.ppid, host: hostname(), nonce: 'busy' }));
    await assert.rejects(access(p, cache, (c) => c.addAccount('x')), (e: unknown) => e instanceof CachePersistenceError && e.code === 'cache_lock_timeout');
    await access(p, cache); // the turn was released: reads still work
  });
});

test('maxFileBytes: a file over the cap is moved aside unread; the cap is validated', async () => {
  await withTempDir(async (dir) => {
    const keys = createMemoryKeyStore();
    await access(make(dir, keys), new FakeTokenCache(), (c) => c.addAccount('alice'));
    const size = (await readFile(join(dir, 'cache', 'tokens.bin'))).length;
    const within = make(dir, keys, { maxFileBytes: size });
    const same = new FakeTokenCache();
    await access(within, same);
    assert.deepEqual([within.state, same.accountIds()], ['encrypted', ['alice']], 'a file of exactly the cap is read');
    const p = make(dir, keys, { maxFileBytes: size - 1 });
    const cache = new FakeTokenCache();
    await access(p, cache);
    assert.deepEqual([p.state, p.warnings.map((w) => w.code), cache.accountIds()], ['recovered-from-corruption', ['cache_file_too_large'], []]);
    assert.equal((await readFile(p.warnings[0]!.movedTo!)).length, size, 'kept, unread');
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => make(dir, keys, { maxFileBytes: bad }), RangeError);
  });
});

test('logs carry sizes and codes, never a token or a username', async () => {
  await withTempDir(async (dir) => {
    const lines: string[] = [];
    const logger = { log: (level: string, message: string, context?: object) => lines.push(`${level} ${message} ${JSON.stringify(context)}`) };
    const keys = createMemoryKeyStore();
    const p = make(dir, keys, { logger });
    await access(p, new FakeTokenCache(), (c) => c.addAccount('alice'));
    await access(make(dir, keys, { logger }), new FakeTokenCache());
    const all = lines.join('\n');
    assert.ok(lines.some((l) => l.includes('saved')) && lines.some((l) => l.includes('loaded')), all);
    for (const secret of [accessTokenOf('alice'), refreshTokenOf('alice'), usernameOf('alice'), (await keys.get())!]) assert.ok(!all.includes(secret), secret);
  });
});
