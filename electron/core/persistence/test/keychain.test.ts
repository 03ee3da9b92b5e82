// Against the real Secret Service (gnome-keyring through keytar), each app instance in its own process:
// restart round trip, what is on disk, every corruption, and every way the keychain can be unusable.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeytarKeyStore, DEFAULT_KEY_ACCOUNT } from '../index.js';
import { accessTokenOf, refreshTokenOf, usernameOf } from './fake-cache.js';
import { keyringUnavailable, noDbusEnv, prepareLockedKeyring, startKeyringSession, type KeyringSession } from '../../../../testkit/keyring.js';
import { KEYTAR_PATH, runChild, uniqueService, useKeyringSession, withTempDir, type ChildOptions } from './helpers.js';

// Every keychain situation as its own private session, started once for this file.
const skip = keyringUnavailable();
let root: string;
const sessions: KeyringSession[] = [];
const envs: Record<'locked' | 'no-provider' | 'no-dbus', NodeJS.ProcessEnv> = { locked: {}, 'no-provider': {}, 'no-dbus': {} };
before(async () => {
  if (skip) return;
  root = await mkdtemp(join(tmpdir(), 'keyring-sessions-'));
  sessions.push(await useKeyringSession(join(root, 'unlocked')));
  await prepareLockedKeyring(join(root, 'locked'), KEYTAR_PATH);
  const locked = await startKeyringSession('locked', join(root, 'locked'));
  const bare = await startKeyringSession('bare', join(root, 'bare'));
  sessions.push(locked, bare);
  envs.locked = locked.env;
  envs['no-provider'] = bare.env;
  envs['no-dbus'] = noDbusEnv();
});
after(async () => {
  if (skip) return;
  await Promise.all(sessions.map((s) => s.stop()));
  await rm(root, { recursive: true, force: true });
});

async function setup(dir: string, ids = 'alice,bob'): Promise<ChildOptions & { bytes: Buffer }> {
  const o: ChildOptions = { cachePath: join(dir, 'app', 'tokens.bin'), service: uniqueService() };
  const written = await runChild(o, 'add', ids);
  assert.equal(written.state, 'encrypted', JSON.stringify(written));
  return { ...o, bytes: await readFile(o.cachePath) };
}

const codes = (r: { warnings: Array<{ code: string }> }) => r.warnings.map((w) => w.code);

test('round trip across a restart, with the key in the keychain', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    const loaded = await runChild(o, 'load');
    assert.deepEqual(loaded, { state: 'encrypted', warnings: [], accounts: ['alice', 'bob'] });
    const key = await createKeytarKeyStore({ service: o.service, account: DEFAULT_KEY_ACCOUNT }).get();
    assert.match(key ?? '', /^[A-Za-z0-9+/]{43}=$/, 'a base64 256-bit key in the keychain');
    assert.equal((await stat(o.cachePath)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'app'))).mode & 0o777, 0o700);
  });
});

test('the file holds no token, username, key or JSON in the clear', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    const key = (await createKeytarKeyStore({ service: o.service, account: DEFAULT_KEY_ACCOUNT }).get())!;
    const needles = [
      ...['alice', 'bob'].flatMap((id) => [accessTokenOf(id), accessTokenOf(id).slice(-20), refreshTokenOf(id), usernameOf(id), 'contoso']),
      // JSON markers long enough that random ciphertext cannot hold them by chance (a 2-byte '{"' would, ~6% of runs).
      'eyJhbGci', '{"Account":', '"secret":"', 'Account', 'AccessToken', 'RefreshToken', 'home_account_id', 'secret', 'username',
      key, Buffer.from(key, 'base64').toString('latin1'),
    ];
    // Every file in the folder (cache, and any temp or lock file left behind), in latin1 and utf16.
    for (const name of await readdir(join(dir, 'app'))) {
      const bytes = await readFile(join(dir, 'app', name));
      for (const needle of needles) {
        assert.equal(bytes.indexOf(Buffer.from(needle, 'latin1')), -1, `${name} contains ${JSON.stringify(needle.slice(0, 12))}`);
        assert.equal(bytes.indexOf(Buffer.from(needle, 'utf16le')), -1, `${name} contains utf16 ${JSON.stringify(needle.slice(0, 12))}`);
      }
    }
  });
});

async function expectQuarantined(o: ChildOptions, badBytes: Buffer, code: string): Promise<void> {
  const loaded = await runChild(o, 'load');
  assert.equal(loaded.state, 'recovered-from-corruption');
  assert.deepEqual(codes(loaded), [code]);
  assert.deepEqual(loaded.accounts, []);
  const movedTo = loaded.warnings[0]?.movedTo ?? '';
  assert.match(movedTo, /tokens\.bin\.corrupt-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  assert.deepEqual(await readFile(movedTo), badBytes, 'kept byte for byte, never deleted');
  // And the app carries on: the next instance writes and reads a fresh cache.
  const after = await runChild(o, 'add', 'carol');
  assert.deepEqual([after.state, after.accounts], ['encrypted', ['carol']]);
  const reread = await runChild(o, 'load');
  assert.deepEqual([reread.state, reread.warnings, reread.accounts], ['encrypted', [], ['carol']]);
}

test('one flipped byte → moved aside with a timestamp, empty cache, typed warning', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    const bad = Buffer.from(o.bytes);
    const at = Math.floor(bad.length / 2);
    bad[at] = bad[at]! ^ 0x01;
    await writeFile(o.cachePath, bad);
    await expectQuarantined(o, bad, 'cache_file_corrupt');
  });
});

test('truncated file (a few lengths) → moved aside, empty cache, typed warning', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    for (const length of [0, 3, 30, o.bytes.length - 1]) {
      await writeFile(o.cachePath, o.bytes);
      await truncate(o.cachePath, length);
      const loaded = await runChild(o, 'load');
      assert.equal(loaded.state, 'recovered-from-corruption', `length ${length}`);
      assert.deepEqual(codes(loaded), ['cache_file_corrupt']);
      assert.deepEqual(await readFile(loaded.warnings[0]!.movedTo!), o.bytes.subarray(0, length));
    }
    await writeFile(o.cachePath, o.bytes.subarray(0, o.bytes.length - 1));
    await expectQuarantined(o, o.bytes.subarray(0, o.bytes.length - 1), 'cache_file_corrupt');
  });
});

test('key deleted from the keyring → file moved aside, new key stored, typed warning', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    const keys = createKeytarKeyStore({ service: o.service, account: DEFAULT_KEY_ACCOUNT });
    const oldKey = await keys.get();
    assert.equal(await keys.delete(), true);
    await expectQuarantined(o, o.bytes, 'cache_key_missing');
    const newKey = await keys.get();
    assert.ok(newKey && newKey !== oldKey);
  });
});

// For each unusable keychain: memory-only (or nothing at all on disk), a typed warning, the existing
// encrypted file untouched, and the app still works in memory.
for (const [situation, code] of [
  ['locked', 'keychain_locked'],
  ['no-provider', 'keychain_no_provider'],
  ['no-dbus', 'keychain_no_dbus'],
] as const) {
  test(`keychain ${situation} → memory-only + ${code}, existing file untouched, no plaintext`, { skip }, async () => {
    await withTempDir(async (dir) => {
      const o = await setup(dir);
      const elsewhere: ChildOptions = { ...o, env: envs[situation] };
      const r = await runChild(elsewhere, 'add', 'dave');
      assert.deepEqual([r.state, codes(r), r.accounts], ['memory-only', [code], ['dave']], JSON.stringify(r));
      assert.doesNotMatch(r.warnings[0]!.message, /dave|contoso|SECRET/);
      assert.deepEqual(await readFile(o.cachePath), o.bytes);
      assert.deepEqual((await readdir(join(dir, 'app'))).sort(), ['tokens.bin']);
      // And when the keychain is back, nothing was lost.
      const back = await runChild(o, 'load');
      assert.deepEqual([back.state, back.accounts], ['encrypted', ['alice', 'bob']]);
    });
  });
}

test('keychain absent and no previous file: memory-only, nothing written at all', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o: ChildOptions = { cachePath: join(dir, 'app', 'tokens.bin'), service: uniqueService(), env: envs['no-dbus'] };
    const r = await runChild(o, 'add', 'erin');
    assert.deepEqual([r.state, codes(r)], ['memory-only', ['keychain_no_dbus']]);
    assert.deepEqual(await readdir(join(dir, 'app')), []);
  });
});

test('keychain absent with allowUnsafePlaintext: plaintext in its own file, encrypted file untouched', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    const unsafe: ChildOptions = { ...o, env: envs['no-dbus'], plaintext: true };
    const r = await runChild(unsafe, 'add', 'frank');
    assert.deepEqual([r.state, codes(r)], ['plaintext-unsafe', ['keychain_no_dbus', 'cache_plaintext_unsafe']]);
    assert.deepEqual(await readFile(o.cachePath), o.bytes);
    assert.ok((await readFile(`${o.cachePath}.unsafe-plaintext`)).includes(usernameOf('frank')));
    const again = await runChild(unsafe, 'load');
    assert.deepEqual(again.accounts, ['frank']);
  });
});

test('a cache copied to another machine (another keyring) cannot be read there and is not destroyed', { skip }, async () => {
  await withTempDir(async (dir) => {
    const o = await setup(dir);
    const other: ChildOptions = { ...o, cachePath: join(dir, 'other', 'tokens.bin'), service: uniqueService() };
    await runChild(other, 'load'); // creates the folder and the other key
    await copyFile(o.cachePath, other.cachePath);
    const r = await runChild(other, 'load');
    assert.deepEqual([r.state, codes(r), r.accounts], ['recovered-from-corruption', ['cache_key_mismatch'], []]);
    assert.deepEqual(await readFile(r.warnings[0]!.movedTo!), o.bytes);
  });
});
