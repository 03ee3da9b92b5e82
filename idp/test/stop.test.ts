// stop() does not wait for clients. A TCP connection that never starts its TLS handshake (a port
// scanner, a stuck proxy, a browser's speculative socket) is invisible to closeAllConnections(), and
// held close() for the TLS handshake timeout (120 s) before this was fixed; the test's own timeout
// turns that into a failure instead of a slow pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevIdp } from '../index.js';

function openSilentSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

test('stop() closes the authority and the off-origin services with silent connections open', { timeout: 20_000 }, async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'idp-stop-'));
  try {
    const idp = await startDevIdp({ port: 0, dataDir });
    const ports = [idp.port, ...[idp.federationUrl, idp.interstitialUrl, idp.deviceLoginUrl].map((u) => Number(new URL(u).port))];
    const sockets = await Promise.all(ports.map(openSilentSocket));
    const closed = sockets.map((s) => new Promise<void>((resolve) => s.once('close', () => resolve())));
    for (const s of sockets) s.on('error', () => {});

    await idp.stop();

    await Promise.all(closed);
    for (const port of ports) {
      const refused = await openSilentSocket(port).then((s) => (s.destroy(), false), () => true);
      assert.ok(refused, `port ${port} no longer accepts connections`);
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
