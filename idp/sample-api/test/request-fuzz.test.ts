// The sample API against request lines, Hosts, methods, headers and percent-encodings no real client
// sends — with a valid user token in the mix so the routes behind the bearer check are reached too:
// every one is answered below 500, nothing throws (the request log line included), and the API still
// serves a normal call afterwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeOutcomes, fuzzServer, sendRaw, watchUncaught } from '../../../testkit/request-fuzz.js';
import { startTestIdp, type TestIdp } from '../../test/helpers.js';
import { startSampleApi, type SampleApi } from '../server.js';
import { userToken } from './helpers.js';

const request = (line: string, host: string) => Buffer.from(`${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1');

describe('sample API request fuzz', () => {
  let idp: TestIdp;
  let api: SampleApi;
  const logLines: string[] = [];
  before(async () => {
    idp = await startTestIdp();
    // The logger is on: the crash was in the per-request log line.
    api = await startSampleApi({ idpUrl: idp.url, caCertPem: idp.caCertPem, logger: (line) => logLines.push(line) });
  });
  after(async () => {
    await api?.stop();
    await idp?.close();
  });

  it('answers every fuzzed request below 500, throws nothing, and still serves /me', async () => {
    const token = await userToken(idp, 'alice');
    const uncaught = watchUncaught();
    try {
      const report = await fuzzServer(
        { port: api.port },
        { host: `127.0.0.1:${api.port}`, seed: 5050, count: 600, budgetMs: 90_000, paths: ['/', '/me', '/obo', '/app-data'], headers: [`Authorization: Bearer ${token}`] },
      );
      assert.deepEqual(uncaught.errors, [], 'no uncaught exception or unhandled rejection');
      const bad = report.outcomes.filter((o) => o.status === undefined || o.status >= 500);
      assert.deepEqual(bad, [], `every case answered below 500:\n${describeOutcomes(bad)}`);
      assert.equal(report.outcomes.find((o) => o.case.name === 'protocol-relative "//["')?.status, 400);
      assert.ok(report.outcomes.filter((o) => o.status === 200).length > 0, 'some fuzzed requests got through to a route');
      assert.deepEqual(logLines.filter((l) => l.startsWith('error')), [], 'no handler failed');
    } finally {
      uncaught.stop();
    }
    const me = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.doesNotMatch(logLines.join('\n'), /eyJ/, 'no token in the request log');
  });

  it('answers a request line `new URL` cannot parse, and a foreign Host, with 400', async () => {
    const host = `127.0.0.1:${api.port}`;
    for (const line of ['GET //[ HTTP/1.1', 'GET //[::1 HTTP/1.1', 'GET http://[/ HTTP/1.1', 'GET //evil.test/me HTTP/1.1', 'GET /%E0%A4%A HTTP/1.1']) {
      assert.equal((await sendRaw({ port: api.port }, request(line, host))).status, 400, line);
    }
    assert.equal((await sendRaw({ port: api.port }, request('GET / HTTP/1.1', 'rebind.evil.test'))).status, 400, 'DNS rebinding Host');
    for (const ok of [host, `localhost:${api.port}`]) assert.equal((await sendRaw({ port: api.port }, request('GET / HTTP/1.1', ok))).status, 200, ok);
  });
});
