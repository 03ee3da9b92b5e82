// Shared bits of the persistence tests: temp folders, unique keychain names, and the child instance.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { collect, spawnNodeTs, startKeyringSession, type KeyringSession, type RunResult } from '../../../../testkit/keyring.js';

export const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

export interface ChildResult {
  state: string;
  warnings: Array<{ code: string; message: string; movedTo?: string }>;
  accounts: string[];
  added?: number;
  maxRssMb?: number;
}

export async function withTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'token-cache-test-'));
  try {
    return await run(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A keychain service name no other test (or earlier run) uses. */
export const uniqueService = () => `entra-desktop-sample-test-${randomUUID()}`;

export function parseResult(run: RunResult): ChildResult {
  const line = run.stdout.split('\n').reverse().find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`child gave no result (code ${run.code}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(line.slice('RESULT '.length)) as ChildResult;
}

export const KEYTAR_PATH = createRequire(import.meta.url).resolve('keytar');

export interface ChildOptions {
  cachePath: string;
  service: string;
  plaintext?: boolean;
  /** The keychain situation the instance runs in; default this test process's own (see useKeyringSession). */
  env?: NodeJS.ProcessEnv;
}

export function childEnv(o: ChildOptions): NodeJS.ProcessEnv {
  return { ...(o.env ?? process.env), CACHE_PATH: o.cachePath, SERVICE: o.service, ALLOW_PLAINTEXT: o.plaintext ? '1' : '0' };
}

/** One app instance, in its own process, from start to exit. */
export async function runChild(o: ChildOptions, command: string, ...args: string[]): Promise<ChildResult> {
  return parseResult(await collect(spawnNodeTs(CHILD, [command, ...args], childEnv(o))));
}

/**
 * A private unlocked keyring for this test file, used by this process (keytar in the test itself) and,
 * through process.env, by every child it starts. Call before any keytar use in the file.
 */
export async function useKeyringSession(home: string): Promise<KeyringSession> {
  const session = await startKeyringSession('unlocked', home);
  process.env.DBUS_SESSION_BUS_ADDRESS = session.env.DBUS_SESSION_BUS_ADDRESS;
  return session;
}
