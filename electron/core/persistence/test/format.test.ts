// The pure parts: file format, sealing, key encoding, keytar error mapping, lock staleness.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeKey, encodeKey, generateKey } from '../cache-key.js';
import { FORMAT_VERSION, HEADER_BYTES, MAGIC, TAG_BYTES } from '../file-format.js';
import { keychainErrorCode, toKeychainError } from '../keychain-errors.js';
import { isStale, parseOwner } from '../file-lock.js';
import { quarantinePath } from '../quarantine.js';
import { open, seal, wrapPlaintext } from '../seal.js';

const json = Buffer.from('{"Account":{"a":{"username":"alice@contoso.example"}}}');

test('seal → open gives back the plaintext, and the file starts with magic and version', () => {
  const key = generateKey();
  const file = seal(key, json);
  assert.deepEqual(file.subarray(0, 4), MAGIC);
  assert.equal(file[4], FORMAT_VERSION);
  assert.equal(file.length, HEADER_BYTES + json.length + TAG_BYTES);
  const opened = open(file, key);
  assert.equal(opened.kind, 'ok');
  assert.deepEqual(opened.kind === 'ok' && opened.plaintext, json);
});

test('two writes of the same content never share a nonce or a ciphertext', () => {
  const key = generateKey();
  const a = seal(key, json);
  const b = seal(key, json);
  assert.notDeepEqual(a.subarray(14, HEADER_BYTES), b.subarray(14, HEADER_BYTES));
  assert.notDeepEqual(a.subarray(HEADER_BYTES), b.subarray(HEADER_BYTES));
});

test('flipping any single byte (header included: it is authenticated) never opens', () => {
  const key = generateKey();
  const file = seal(key, json);
  for (let i = 0; i < file.length; i++) {
    const bad = Buffer.from(file);
    bad[i] = bad[i]! ^ 0x01;
    assert.notEqual(open(bad, key).kind, 'ok', `byte ${i}`);
  }
});

test('every truncation is corrupt, never ok', () => {
  const key = generateKey();
  const file = seal(key, json);
  for (let n = 0; n < file.length; n++) {
    const kind = open(file.subarray(0, n), key).kind;
    assert.ok(kind === 'corrupt', `length ${n}: ${kind}`);
  }
});

test('a newer format version is reported as unsupported, not as corrupt', () => {
  const key = generateKey();
  const file = seal(key, json);
  file[4] = FORMAT_VERSION + 1;
  assert.deepEqual(open(file, key), { kind: 'unsupported', version: FORMAT_VERSION + 1 });
});

test('a file sealed with another key is told apart from tampering', () => {
  const file = seal(generateKey(), json);
  assert.equal(open(file, generateKey()).kind, 'wrong-key');
});

test('plaintext files only open in plaintext mode, encrypted ones only with a key', () => {
  const key = generateKey();
  assert.equal(open(wrapPlaintext(json), null).kind, 'ok');
  assert.equal(open(wrapPlaintext(json), key).kind, 'wrong-algorithm');
  assert.equal(open(seal(key, json), null).kind, 'wrong-algorithm');
});

test('keys: base64 of 32 bytes round-trips; anything else is rejected', () => {
  const key = generateKey();
  const back = decodeKey(encodeKey(key));
  assert.ok(back && back.bytes.equals(key.bytes) && back.id.equals(key.id));
  for (const bad of ['', 'abc', Buffer.alloc(16).toString('base64'), Buffer.alloc(33).toString('base64'), `${encodeKey(key).slice(0, -2)}!=`]) {
    assert.equal(decodeKey(bad), null, bad);
  }
});

test('keytar messages map to stable codes', () => {
  const cases: Array<[string, string]> = [
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'keychain_no_dbus'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'keychain_no_provider'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'keychain_no_collection'],
    ['Cannot create an item in a locked collection', 'keychain_locked'],
    ['User canceled the operation.', 'keychain_access_denied'],
    ['Request denied', 'keychain_access_denied'],
    ['something new', 'keychain_unavailable'],
  ];
  for (const [message, code] of cases) assert.equal(keychainErrorCode(message), code, message);
  const typed = toKeychainError(new Error('Cannot create an item in a locked collection'), 'store the cache key');
  assert.equal(typed.code, 'keychain_locked');
  assert.equal(typed.name, 'CachePersistenceError');
  assert.ok(typed.cause instanceof Error);
});

test('lock staleness: dead pid, old (or future) mtime, or our own pid from a previous life', () => {
  const me = { pid: 100, host: 'h', holds: (n: string) => n === 'mine', alive: (pid: number) => pid === 200 };
  assert.equal(isStale({ pid: 300, host: 'h', nonce: 'x' }, 0, 10_000, me), true, 'dead pid');
  assert.equal(isStale({ pid: 200, host: 'h', nonce: 'x' }, 0, 10_000, me), false, 'live pid');
  assert.equal(isStale({ pid: 200, host: 'h', nonce: 'x' }, 20_000, 10_000, me), true, 'live but too old');
  assert.equal(isStale({ pid: 100, host: 'h', nonce: 'mine' }, 0, 10_000, me), false, 'ours');
  assert.equal(isStale({ pid: 100, host: 'h', nonce: 'old' }, 0, 10_000, me), true, 'our pid, not our lock');
  assert.equal(isStale({ pid: 300, host: 'other', nonce: 'x' }, 0, 10_000, me), false, 'other host: age only');
  assert.equal(isStale(null, 20_000, 10_000, me), true, 'unreadable and old');
  // An mtime in the future (clock set back, a planted file) never ages: outside ±staleMs is stale too.
  assert.equal(isStale({ pid: 200, host: 'h', nonce: 'x' }, -20_000, 10_000, me), true, 'live but mtime far in the future');
  assert.equal(isStale({ pid: 200, host: 'h', nonce: 'x' }, -5_000, 10_000, me), false, 'live, mtime slightly ahead (clock jitter)');
  assert.equal(isStale(null, -20_000, 10_000, me), true, 'unreadable, mtime in the future');
  assert.equal(parseOwner('garbage'), null);
});

test('quarantine names carry a UTC timestamp and keep the original name', () => {
  const p = quarantinePath('/x/cache.bin', Date.UTC(2026, 10, 29, 3, 12, 0), 'corrupt');
  assert.match(p, /^\/x\/cache\.bin\.corrupt-20261129T031200Z-[0-9a-f]{4}$/);
});
