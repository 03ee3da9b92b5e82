// Whatever is at the cache path (issue 11): each row turns a healthy cache folder (alice and bob, key in
// the real gnome-keyring) into one hostile or broken situation, then starts an app instance in its own
// process that signs "dave" in. Every row must end in a defined state with a typed warning, do the
// expected thing to the offending entry (moved aside, left alone, or — for a bogus lock — removed),
// start within a bound well under the 30 s lock timeout, and stay small in memory. The old code hung
// (FIFOs, a future-dated lock), grew without bound (/dev/zero), read a huge file whole, or hid the
// accounts of a folder it could not write.
//
// A read-only folder for root: root ignores permission bits through CAP_DAC_OVERRIDE, so that instance
// runs under `setpriv` with CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER dropped from its
// bounding set — still uid 0 (its D-Bus session and keyring still answer), but a 0500 folder really
// refuses its writes with EACCES. Unprivileged, chmod alone does it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { lstat, mkdir, readdir, readFile, rm, symlink, truncate, utimes, writeFile, chmod } from 'node:fs/promises';
import { type BigIntStats } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { collect, keyringUnavailable } from '../../../../testkit/keyring.js';
import { DEFAULT_MAX_FILE_BYTES, kindOf } from '../read-file.js';
import { CHILD, childEnv, parseResult, runChild, uniqueService, useKeyringSession, withTempDir, type ChildOptions, type ChildResult } from './helpers.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const skip = keyringUnavailable() || (process.platform === 'win32' ? 'symlinks, FIFOs and permission bits are POSIX' : false) || (!has('mkfifo') && 'mkfifo missing');
const isRoot = process.getuid?.() === 0;
// Bounds only a regression (the old /dev/zero read); a healthy instance needs ~100 MB.
const ADDRESS_SPACE = has('prlimit') ? ['prlimit', `--as=${3 * 1024 ** 3}`] : [];
const WITHOUT_DAC = ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner', '--'];

const START_BOUND_MS = 20_000; // under the 30 s lock timeout the old code waited for; generous for a loaded machine
const MEMORY_MARGIN_MB = 48; // the cap is 64 MB: reading the huge file (plus its decryption) would exceed it

interface Ctx {
  dir: string;
  o: ChildOptions;
  lockPath: string;
  /** The healthy cache (alice, bob) as written. */
  bytes: Buffer;
}

type Entry = 'moved-aside' | 'left' | 'removed';

interface Row {
  name: string;
  /** Which entry the row makes hostile. */
  target: 'cache' | 'lock';
  arrange(c: Ctx): Promise<void>;
  /** The instance runs with a folder it cannot write. */
  readOnlyFolder?: boolean;
  /** While the instance runs, keep the lock fresh like a live holder would. */
  holdLock?: boolean;
  env?: NodeJS.ProcessEnv;
  expect: {
    state: string;
    codes: string[];
    /** What the instance sees after signing dave in. */
    accounts: string[];
    entry: Entry;
    /** What the next, unhindered instance sees (undefined: not checked). */
    next?: string[];
  };
}

const mkfifo = (path: string) => assert.equal(spawnSync('mkfifo', ['-m', '600', path]).status, 0, 'mkfifo');
const liveLock = () => JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'held-by-the-test' }); // our pid: alive, not the child's

const ROWS: Row[] = [
  {
    name: 'symlink to /dev/zero as the cache file',
    target: 'cache',
    arrange: async (c) => (await rm(c.o.cachePath), await symlink('/dev/zero', c.o.cachePath)),
    expect: { state: 'recovered-from-corruption', codes: ['cache_file_not_regular'], accounts: ['dave'], entry: 'moved-aside', next: ['dave'] },
  },
  {
    name: 'FIFO as the cache file',
    target: 'cache',
    arrange: async (c) => (await rm(c.o.cachePath), mkfifo(c.o.cachePath)),
    expect: { state: 'recovered-from-corruption', codes: ['cache_file_not_regular'], accounts: ['dave'], entry: 'moved-aside', next: ['dave'] },
  },
  {
    name: 'FIFO as the lock file',
    target: 'lock',
    arrange: async (c) => mkfifo(c.lockPath),
    // Not a lock any instance writes (they are regular files): stale at once, removed, nothing lost.
    expect: { state: 'encrypted', codes: [], accounts: ['alice', 'bob', 'dave'], entry: 'removed', next: ['alice', 'bob', 'dave'] },
  },
  {
    name: 'a directory at the cache path',
    target: 'cache',
    arrange: async (c) => {
      await rm(c.o.cachePath);
      await mkdir(c.o.cachePath);
      await writeFile(join(c.o.cachePath, 'someone-elses.txt'), 'kept');
    },
    // Left where it is (it may hold someone's files), memory-only for the run.
    expect: { state: 'memory-only', codes: ['cache_file_not_regular'], accounts: ['dave'], entry: 'left' },
  },
  {
    name: 'a file over the size cap (sparse, valid header)',
    target: 'cache',
    arrange: async (c) => truncate(c.o.cachePath, DEFAULT_MAX_FILE_BYTES + 1),
    expect: { state: 'recovered-from-corruption', codes: ['cache_file_too_large'], accounts: ['dave'], entry: 'moved-aside', next: ['dave'] },
  },
  {
    name: 'a folder that cannot be written',
    target: 'cache',
    readOnlyFolder: true,
    arrange: async (c) => chmod(join(c.dir, 'app'), 0o500),
    // The accounts on disk are shown; dave works for this run but is not saved; nothing on disk changes.
    expect: { state: 'read-only', codes: ['cache_lock_failed'], accounts: ['alice', 'bob', 'dave'], entry: 'left', next: ['alice', 'bob'] },
  },
  {
    name: 'a lock with a live pid and an mtime an hour in the future',
    target: 'lock',
    arrange: async (c) => {
      await writeFile(c.lockPath, liveLock());
      const future = new Date(Date.now() + 3_600_000);
      await utimes(c.lockPath, future, future);
    },
    expect: { state: 'encrypted', codes: [], accounts: ['alice', 'bob', 'dave'], entry: 'removed', next: ['alice', 'bob', 'dave'] },
  },
  {
    name: 'a lock held (and kept fresh) by a live process past the lock timeout',
    target: 'lock',
    holdLock: true,
    env: { LOCK_TIMEOUT_MS: '2000' },
    arrange: async (c) => writeFile(c.lockPath, liveLock()),
    expect: { state: 'read-only', codes: ['cache_lock_timeout'], accounts: ['alice', 'bob', 'dave'], entry: 'left' },
  },
];

/** One app instance that signs dave in, started the way the row needs; its result and wall time. */
async function startInstance(c: Ctx, row: Row): Promise<{ result: ChildResult; ms: number }> {
  const env = { ...childEnv(c.o), REPORT_RSS: '1', ...row.env };
  const command = [...(row.readOnlyFolder && isRoot ? WITHOUT_DAC : []), ...ADDRESS_SPACE, process.execPath, '--import', 'tsx', CHILD, 'add', 'dave'];
  const heartbeat = row.holdLock ? setInterval(() => void utimes(c.lockPath, new Date(), new Date()).catch(() => {}), 500) : undefined;
  const started = Date.now();
  try {
    // 60 s only kills a hung instance (the old code's FIFO); the assertion is START_BOUND_MS.
    const run = await collect(spawn(command[0]!, command.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] }), 60_000);
    return { result: parseResult(run), ms: Date.now() - started };
  } finally {
    clearInterval(heartbeat);
  }
}

const identity = (s: BigIntStats) => ({ kind: kindOf(s), dev: s.dev, ino: s.ino });

test('hostile and broken cache paths: each ends in a defined state, quickly, without reading the unreadable', { skip }, async (t) => {
  await withTempDir(async (home) => {
    const session = await useKeyringSession(join(home, 'keyring'));
    try {
      // What a healthy start costs, as the memory baseline.
      const baseline = await withTempDir(async (dir) => {
        const o: ChildOptions = { cachePath: join(dir, 'app', 'tokens.bin'), service: uniqueService() };
        return parseResult(await collect(spawn(process.execPath, ['--import', 'tsx', CHILD, 'add', 'alice,bob'], { env: { ...childEnv(o), REPORT_RSS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] }))).maxRssMb!;
      });
      for (const row of ROWS) {
        const rowSkip = row.readOnlyFolder && isRoot && !has('setpriv') ? 'running as root without setpriv: no way to deny root writes here' : false;
        await t.test(row.name, { skip: rowSkip }, async () => {
          await withTempDir(async (dir) => {
            const o: ChildOptions = { cachePath: join(dir, 'app', 'tokens.bin'), service: uniqueService() };
            const written = await runChild(o, 'add', 'alice,bob');
            assert.equal(written.state, 'encrypted', JSON.stringify(written));
            const c: Ctx = { dir, o, lockPath: `${o.cachePath}.lock`, bytes: await readFile(o.cachePath) };
            await row.arrange(c);
            const hostilePath = row.target === 'cache' ? o.cachePath : c.lockPath;
            const before = identity(await lstat(hostilePath, { bigint: true }));

            const { result: r, ms } = await startInstance(c, row).finally(() => chmod(join(dir, 'app'), 0o700));

            const { expect } = row;
            assert.deepEqual(
              { state: r.state, codes: r.warnings.map((w) => w.code), accounts: r.accounts },
              { state: expect.state, codes: expect.codes, accounts: expect.accounts },
              JSON.stringify(r.warnings),
            );
            assert.ok(ms < START_BOUND_MS, `started and signed in within ${START_BOUND_MS} ms (took ${ms} ms)`);
            assert.ok(r.maxRssMb! < baseline + MEMORY_MARGIN_MB, `peak memory ${r.maxRssMb} MB (a healthy start: ${baseline} MB)`);
            assert.doesNotMatch(JSON.stringify(r.warnings), /dave|alice|SECRET|contoso/, 'no account or token in a warning');

            const now = await lstat(hostilePath, { bigint: true }).catch(() => null);
            switch (expect.entry) {
              case 'moved-aside': {
                const movedTo = r.warnings[0]?.movedTo ?? '';
                assert.match(movedTo, /tokens\.bin\.corrupt-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
                assert.deepEqual(identity(await lstat(movedTo, { bigint: true })), before, 'the very entry was moved (a symlink as a symlink, not its target)');
                assert.equal(now && kindOf(now), 'file', 'a fresh, regular cache file took its place');
                break;
              }
              case 'left':
                assert.deepEqual(now && identity(now), before, 'left exactly where it was');
                if (row.target === 'cache' && before.kind === 'file') assert.deepEqual(await readFile(o.cachePath), c.bytes, 'byte for byte');
                break;
              case 'removed':
                assert.equal(now, null, 'the bogus lock is gone');
                break;
            }
            const leftovers = (await readdir(join(dir, 'app'))).filter((n) => /\.tmp$|\.break$/.test(n));
            assert.deepEqual(leftovers, [], 'no temp or break file left behind');

            if (expect.next) {
              const next = await runChild(o, 'load');
              assert.deepEqual([next.state, next.accounts], ['encrypted', expect.next], JSON.stringify(next.warnings));
            }
          });
        });
      }
    } finally {
      await session.stop();
    }
  });
});
