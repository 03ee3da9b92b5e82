// The fuzzer itself: deterministic (a failing case is reproducible from its seed), bounded, and able
// to tell an answer from a dropped connection.
import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { fuzzServer, generateCases, knownBadCases, sendRaw } from '../request-fuzz.js';

test('the same seed gives the same cases; another seed other ones', () => {
  const a = generateCases(7, 50, 'h:1', ['/x']);
  assert.equal(a.length, 50);
  assert.deepEqual(generateCases(7, 50, 'h:1', ['/x']), a);
  assert.notDeepEqual(generateCases(8, 50, 'h:1', ['/x']).map((c) => c.raw.toString('latin1')), a.map((c) => c.raw.toString('latin1')));
  assert.ok(knownBadCases('h:1').some((c) => c.raw.toString('latin1').startsWith('GET //[ HTTP/1.1\r\n')));
});

test('reports statuses, dropped connections, and stops at the budget', async () => {
  const server: Server = createServer((req, res) => {
    if (req.url === '/drop') return req.socket.destroy();
    res.writeHead(req.url === '/' ? 204 : 418).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const line = (target: string) => Buffer.from(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.deepEqual(await sendRaw({ port }, line('/')), { status: 204, timedOut: false });
    assert.deepEqual(await sendRaw({ port }, line('/drop')), { timedOut: false });
    const report = await fuzzServer({ port }, { host: `127.0.0.1:${port}`, count: 10_000, budgetMs: 0 });
    assert.ok(report.skipped > 0 && report.outcomes.length < 10, 'the budget bounds the run');
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
