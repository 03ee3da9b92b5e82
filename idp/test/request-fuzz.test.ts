// The IdP's front door against request lines, Hosts, methods and percent-encodings no real client
// sends: every one is answered (never a 5xx, never an uncaught exception), and the IdP still serves
// a normal request afterwards — in this process, and as `npm run idp` in its own.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeOutcomes, fuzzServer, sendRaw, watchUncaught, type FuzzTarget } from '../../testkit/request-fuzz.js';
import { parseRequestTarget } from '../http-util.js';
import { startTestIdp, type TestIdp } from './helpers.js';

const PATHS = [
  '/',
  '/contoso/v2.0/.well-known/openid-configuration',
  '/common/v2.0/.well-known/openid-configuration',
  '/organizations/discovery/v2.0/keys',
  '/contoso/oauth2/v2.0/authorize?client_id=desktop-sample&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%2F&scope=openid',
  '/contoso/oauth2/v2.0/token',
  '/contoso/oauth2/v2.0/devicecode',
  '/contoso/oauth2/v2.0/deviceauth',
  '/contoso/discovery/v2.0/keys',
  '/contoso/interaction/abc',
  '/contoso/interaction/abc/login',
  '/contoso/oidc/userinfo',
  '/contoso/oauth2/v2.0/logout',
  '/contoso/oauth2/v2.0/revoke',
  '/fabrikam/v2.0/.well-known/openid-configuration',
];

const request = (line: string, host: string) => Buffer.from(`${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1');

it('parseRequestTarget: a plain path only, with valid percent-encoding', () => {
  const origin = 'https://localhost:5443';
  assert.equal(parseRequestTarget('/contoso/v2.0?x=%zz', origin)?.pathname, '/contoso/v2.0', 'the query is not decoded here');
  assert.equal(parseRequestTarget('/', origin)?.href, `${origin}/`);
  for (const bad of ['//[', '//evil.test/x', '/\\evil.test/x', 'http://evil.test/', '*', 'localhost:443', '', undefined, '/%E0%A4%A', '/%', '/a%zzb']) {
    assert.equal(parseRequestTarget(bad, origin), undefined, String(bad));
  }
});

describe('IdP request fuzz', () => {
  let idp: TestIdp;
  let target: FuzzTarget;
  const logLines: string[] = [];
  before(async () => {
    idp = await startTestIdp({ logger: (line) => logLines.push(line) });
    target = { port: idp.port, tls: { ca: idp.caCertPem, servername: 'localhost' } };
  });
  after(() => idp?.close());

  it('answers every fuzzed request with a non-5xx status, throws nothing, and still serves discovery', async () => {
    const uncaught = watchUncaught();
    try {
      const report = await fuzzServer(target, { host: `localhost:${idp.port}`, seed: 11, count: 600, budgetMs: 90_000, paths: PATHS });
      assert.deepEqual(uncaught.errors, [], 'no uncaught exception or unhandled rejection');
      const bad = report.outcomes.filter((o) => o.status === undefined || o.status >= 500);
      assert.deepEqual(bad, [], `every case answered below 500:\n${describeOutcomes(bad)}`);
      assert.equal(report.outcomes.find((o) => o.case.name === 'protocol-relative "//["')?.status, 400);
      assert.ok(report.outcomes.length > 100, `only ${report.outcomes.length} cases ran`);
      assert.deepEqual(logLines.filter((l) => /error handling|server_error/.test(l)), [], 'no handler failed inside');
    } finally {
      uncaught.stop();
    }
    const discovery = await idp.fetch(`${idp.url}/contoso/v2.0/.well-known/openid-configuration`);
    assert.equal(discovery.status, 200);
  });

  it('refuses a Host that is not its own (oidc-provider builds its endpoint URLs from it)', async () => {
    const path = '/contoso/v2.0/.well-known/openid-configuration';
    for (const host of ['evil.test', `evil.test:${idp.port}`, '[', 'localhost:1', `localhost:${idp.port}:1`]) {
      assert.equal((await sendRaw(target, request(`GET ${path} HTTP/1.1`, host))).status, 400, host);
    }
    const twoHosts = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: localhost:${idp.port}\r\nHost: evil.test\r\nConnection: close\r\n\r\n`, 'latin1');
    assert.equal((await sendRaw(target, twoHosts)).status, 400, 'two Host headers');
    for (const host of [`localhost:${idp.port}`, `127.0.0.1:${idp.port}`, `LOCALHOST:${idp.port}`]) {
      assert.equal((await sendRaw(target, request(`GET ${path} HTTP/1.1`, host))).status, 200, host);
    }
  });

  it('answers a bad percent-encoding in the tenant segment with 400, not 500', async () => {
    for (const line of ['GET /%E0%A4%A/v2.0/.well-known/openid-configuration HTTP/1.1', 'GET /%zz HTTP/1.1', 'POST /%/oauth2/v2.0/token HTTP/1.1']) {
      assert.equal((await sendRaw(target, request(line, `localhost:${idp.port}`))).status, 400, line);
    }
  });
});

describe('npm run idp', () => {
  it('survives "GET //[ HTTP/1.1" in its own process and keeps serving', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-cli-fuzz-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'idp/cli.ts'], {
      cwd: resolve(import.meta.dirname, '..', '..'),
      env: { ...process.env, IDP_PORT: '0', IDP_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    try {
      const port = await new Promise<number>((resolvePort, reject) => {
        let stdout = '';
        const timer = setTimeout(() => reject(new Error('the IdP did not start in time')), 30_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const m = /IdP ready at https:\/\/localhost:(\d+)/.exec(stdout);
          if (m) {
            clearTimeout(timer);
            resolvePort(Number(m[1]));
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const ca = await readFile(join(dataDir, 'tls-cert.pem'), 'utf8');
      const t: FuzzTarget = { port, tls: { ca, servername: 'localhost' } };
      for (const line of ['GET //[ HTTP/1.1', 'GET //[::1 HTTP/1.1', 'GET /%E0%A4%A HTTP/1.1']) {
        assert.equal((await sendRaw(t, request(line, `localhost:${port}`))).status, 400, line);
      }
      const normal = await sendRaw(t, request('GET /contoso/v2.0/.well-known/openid-configuration HTTP/1.1', `localhost:${port}`));
      assert.equal(normal.status, 200);
      assert.equal(exited, undefined, 'still running');
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
