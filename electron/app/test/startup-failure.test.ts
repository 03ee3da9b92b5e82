import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CONFIG, resolveConfig } from '../config.js';
import { createAppController } from '../create-controller.js';
import { describeStartupFailure } from '../startup-failure.js';
import type { ShellPorts } from '../ports.js';

const ports = (userDataDir: string): ShellPorts => ({
  userDataDir,
  openLoginWindow: () => assert.fail('no window at start-up'),
  clearLoginSession: async () => {},
  writeClipboard: async () => {},
  openExternal: async () => {},
});

test('a configuration file that is not JSON: named, with what to do', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'startup-config-'));
  try {
    const path = join(dir, 'config.json');
    await writeFile(path, '{ "clientId": ');
    const error = await createAppController(ports(dir), { env: { APP_CONFIG: path } }).then(() => assert.fail('must not start'), (e: unknown) => e);
    const failure = describeStartupFailure(error);
    assert.equal(failure.title, 'The configuration file cannot be read');
    assert.ok(failure.content.includes(path));
    assert.match(failure.content, /Fix or remove the file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an invalid configuration value: the field and where to correct it', () => {
  let error: unknown;
  try {
    resolveConfig({ authority: 'http://login.example.com/tenant' }, {});
  } catch (e) {
    error = e;
  }
  const failure = describeStartupFailure(error);
  assert.equal(failure.title, 'The configuration is not valid');
  assert.match(failure.content, /"authority"/);
});

test("the local IdP's port taken: which port and what to do", async () => {
  const blocker = createServer();
  await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
  const port = (blocker.address() as { port: number }).port;
  const second = createServer();
  const error = await new Promise<unknown>((res) => {
    second.once('error', res);
    second.listen(port, '127.0.0.1');
  });
  blocker.close();
  const failure = describeStartupFailure(error);
  assert.equal(failure.title, 'The local identity provider cannot start');
  assert.ok(failure.content.includes(`Port ${port}`));
  assert.match(failure.content, /IDP_PORT/);
});

test('anything else: its message, capped, and how to see more', () => {
  const failure = describeStartupFailure(new Error('x'.repeat(5_000)));
  assert.equal(failure.title, 'Entra Desktop Sample could not start');
  assert.ok(failure.content.length < 800);
  assert.match(failure.content, /npm start/);
  assert.equal(describeStartupFailure('plain string').content.startsWith('plain string'), true);
});

test('a start that fails after the local IdP started stops it again (no listener keeps the process alive)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'startup-cleanup-'));
  const free = createServer();
  await new Promise<void>((res) => free.listen(0, '127.0.0.1', res));
  const port = (free.address() as { port: number }).port;
  await new Promise<void>((res) => free.close(() => res()));
  try {
    // An empty client ID passes a config given as an object (no validation) but fails the engine, which
    // is created after the local IdP and the sample API have started.
    const error = await createAppController(ports(dir), { config: { ...DEFAULT_CONFIG, clientId: '' }, localIdpPort: port }).then(
      () => assert.fail('must not start'),
      (e: unknown) => e,
    );
    assert.equal((error as { code?: string }).code, 'invalid_argument');
    const reachable = await new Promise<boolean>((res) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        res(true);
      });
      socket.on('error', () => res(false));
    });
    assert.equal(reachable, false, 'the local IdP is stopped');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
