// Trust, with real TLS servers: the pin is exact and only on its host; every other host gets Node's
// roots, the OS store and the configured extra CA.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AddressInfo } from 'node:net';
import { localhostCert, type TestCert } from '../../../../testkit/cert.js';
import { createFetch } from '../pinned-fetch.js';
import { NetworkError } from '../../errors.js';

let certA: TestCert;
let certB: TestCert;
let a: https.Server;
let b: https.Server;
let portA = 0;
let portB = 0;

async function serve(cert: TestCert): Promise<[https.Server, number]> {
  const server = https.createServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return [server, (server.address() as AddressInfo).port];
}

before(async () => {
  [certA, certB] = await Promise.all([localhostCert(), localhostCert()]);
  [a, portA] = await serve(certA);
  [b, portB] = await serve(certB);
});
after(async () => {
  for (const s of [a, b]) {
    s?.closeAllConnections();
    await new Promise<void>((r) => (s ? s.close(() => r()) : r()));
  }
});

const outcome = (p: Promise<Response>) =>
  p.then(
    (r) => r.status,
    (e: unknown) => (e instanceof NetworkError ? e.code : `unexpected ${String(e)}`),
  );

test('the pin holds on its host only: the pinned certificate elsewhere is not trusted, other certificates on the pinned host neither', async () => {
  const fetch = createFetch({ trustedCaPem: certA.cert, pinnedHost: `localhost:${portA}`, env: {} });
  assert.equal(await outcome(fetch(`https://localhost:${portA}/`)), 200);
  // The same server under another host name: the self-signed certificate is not a root.
  assert.equal(await outcome(fetch(`https://127.0.0.1:${portA}/`)), 'network_error');
  assert.equal(await outcome(fetch(`https://localhost:${portB}/`)), 'network_error');
});

test('extraCaPem is trusted on every host but the pinned one, where the pin stays exact', async () => {
  const fetch = createFetch({ trustedCaPem: certA.cert, pinnedHost: `localhost:${portB}`, extraCaPem: certB.cert, env: {} });
  assert.equal(await outcome(fetch(`https://127.0.0.1:${portB}/`)), 200, 'certificate B through the extra CA');
  assert.equal(await outcome(fetch(`https://localhost:${portB}/`)), 'network_error', 'the pinned host accepts certificate A only');
});

test('without pinnedHost, trustedCaPem alone still means "this certificate everywhere" (createFetch callers of old)', async () => {
  const fetch = createFetch({ trustedCaPem: certA.cert, env: {} });
  assert.equal(await outcome(fetch(`https://127.0.0.1:${portA}/`)), 200);
  assert.equal(await outcome(fetch(`https://127.0.0.1:${portB}/`)), 'network_error');
});

const run = promisify(execFile);
test('the OS store is trusted: a root added there (SSL_CERT_FILE on Linux) works with no pin and no extra CA', { skip: process.platform !== 'linux' && 'OS store placement differs' }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'os-store-'));
  try {
    await writeFile(join(dir, 'store.pem'), certB.cert);
    const emptyDir = await mkdtemp(join(dir, 'certs-'));
    const child = join(import.meta.dirname, 'os-store-child.ts');
    const env = (file: string) => {
      const e: NodeJS.ProcessEnv = { ...process.env, SSL_CERT_FILE: file, SSL_CERT_DIR: emptyDir };
      delete e.NODE_EXTRA_CA_CERTS; // only the OS store may make the difference
      return e;
    };
    const go = async (file: string) =>
      JSON.parse((await run(process.execPath, ['--import', 'tsx', child, `https://127.0.0.1:${portB}/`], { env: env(file), timeout: 30_000 })).stdout.trim().split('\n').pop() as string);
    assert.deepEqual(await go(join(dir, 'store.pem')), { status: 200 });
    assert.deepEqual(await go(join(dir, 'missing.pem')), { error: 'network_error' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
