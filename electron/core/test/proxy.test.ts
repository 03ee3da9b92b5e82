// The engine behind a real proxy (Debian's squid, testkit/proxy.ts). The local IdP is served under
// `idp.proxy-only.test`, a name only squid resolves (its hosts_file): any sign-in that works proves
// discovery, token and JWKS requests all went through the proxy, and squid's access log shows them.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevIdp, CLIENT_IDS, SCOPES, DEMO_PASSWORD, type DevIdp } from '../../../idp/index.js';
import { startTestProxy, freePort, squidUnavailable, type TestProxy } from '../../../testkit/proxy.js';
import { startHostileOp, type HostileOp } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, NetworkError, type AuthError } from '../index.js';
import type { CommonClientConfiguration } from '../create-engine-context.js';

const PROXY_ONLY_HOST = 'idp.proxy-only.test';
const PROXY_ENV = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'] as const;

let proxy: TestProxy;
let idp: DevIdp;
let op: HostileOp;
let dataDir: string;
const savedEnv: Partial<Record<(typeof PROXY_ENV)[number], string>> = {};

before(async () => {
  if (squidUnavailable) return;
  // The machine's own proxy settings must not decide these tests.
  for (const k of PROXY_ENV) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
  dataDir = await mkdtemp(join(tmpdir(), 'proxy-idp-'));
  [proxy, idp, op] = await Promise.all([
    startTestProxy({ hosts: { [PROXY_ONLY_HOST]: '127.0.0.1' } }),
    startDevIdp({ port: 0, dataDir, publicHost: PROXY_ONLY_HOST }),
    startHostileOp(),
  ]);
});
after(async () => {
  await Promise.all([proxy?.stop(), idp?.stop(), op?.stop()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  for (const k of PROXY_ENV) if (savedEnv[k] === undefined) delete process.env[k];
  else process.env[k] = savedEnv[k];
});

const tunnels = (lines: string[]) => lines.filter((l) => / CONNECT idp\.proxy-only\.test:\d+ /.test(l));

function app(system: CommonClientConfiguration['system'] = {}) {
  return PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    system: { trustedCaPem: idp.caCertPem, ...system },
  });
}

/** Sign-in (discovery, token, JWKS) and a forced refresh (token): four requests. */
async function signInAndRefresh(pca: PublicClientApplication) {
  const first = await pca.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD });
  const refreshed = await pca.acquireTokenSilent({ account: first.account!, scopes: [SCOPES.userRead], forceRefresh: true });
  assert.equal(first.source, 'password');
  assert.equal(refreshed.source, 'refresh');
  return first;
}

/** Requests through squid during `fn`, checked against what the IdP itself received. */
async function throughProxy(fn: () => Promise<unknown>): Promise<{ tunnels: string[]; idpPaths: string[] }> {
  const before = tunnels(proxy.accessLog()).length;
  idp.controls.resetCounts();
  await fn();
  const idpPaths = idp.controls.requests().map((r) => `${r.method} ${r.path}`);
  const lines = await proxy.waitForLog((l) => tunnels(l).length - before >= idpPaths.length);
  return { tunnels: tunnels(lines).slice(before), idpPaths };
}

describe('through a real proxy', { skip: squidUnavailable }, () => {
  test('squid starts the way CI runs it (as root when CI is root, no stdin) and logs to a file we can read', () => {
    assert.match(proxy.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(Array.isArray(proxy.accessLog()));
  });

  test('without the proxy the IdP cannot be reached at all (its name resolves only inside squid)', async () => {
    const pca = await app();
    const err = await pca.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD }).catch((e: unknown) => e as AuthError);
    assert.ok(err instanceof NetworkError, `got ${String(err)}`);
    assert.equal(err.code, 'network_error');
  });

  test('system.proxyUrl: discovery, token and JWKS each go through a CONNECT tunnel', async () => {
    const pca = await app({ proxyUrl: proxy.url });
    const { tunnels: t, idpPaths } = await throughProxy(() => signInAndRefresh(pca));
    assert.ok(idpPaths.some((p) => p.startsWith('GET ') && p.includes('openid-configuration')), idpPaths.join('\n'));
    assert.ok(idpPaths.some((p) => p.startsWith('GET ') && /keys|jwks/.test(p)), idpPaths.join('\n'));
    assert.equal(idpPaths.filter((p) => p.startsWith('POST ') && p.includes('token')).length, 2);
    assert.equal(t.length, idpPaths.length, `one tunnel per request:\n${t.join('\n')}`);
    assert.ok(t.every((l) => /TCP_TUNNEL\/200 /.test(l)), t.join('\n'));
  });

  test('HTTPS_PROXY from the environment (every Node host: tests, daemon, CLI)', async () => {
    process.env.HTTPS_PROXY = proxy.url;
    try {
      const pca = await app();
      const { tunnels: t, idpPaths } = await throughProxy(() => signInAndRefresh(pca));
      assert.equal(t.length, idpPaths.length);
    } finally {
      delete process.env.HTTPS_PROXY;
    }
  });

  test('the system proxy port (Electron resolveProxy): the first usable PAC entry, SOCKS skipped', async () => {
    const asked: string[] = [];
    const pca = await app({
      resolveProxy: async (url) => {
        asked.push(new URL(url).pathname);
        return `SOCKS5 127.0.0.1:1; PROXY 127.0.0.1:${proxy.port}; DIRECT`;
      },
    });
    const { tunnels: t, idpPaths } = await throughProxy(() => signInAndRefresh(pca));
    assert.equal(t.length, idpPaths.length);
    assert.equal(asked.length, idpPaths.length, 'asked once per request');
  });

  test('a SOCKS-only system proxy is a typed error, not a silent direct connection', async () => {
    const pca = await app({ resolveProxy: async () => 'SOCKS5 127.0.0.1:1080' });
    const err = await pca.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD }).catch((e: unknown) => e as AuthError);
    assert.ok(err instanceof NetworkError, `got ${String(err)}`);
    assert.equal(err.code, 'proxy_unsupported');
    assert.match(err.message, /SOCKS5 127\.0\.0\.1:1080/);
  });

  test('NO_PROXY bypasses the proxy, for the environment and for proxyUrl alike', async () => {
    const direct = (system: CommonClientConfiguration['system']) =>
      PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority(), allowUsernamePassword: true }, system: { trustedCaPem: op.caCertPem, ...system } });
    const before = proxy.accessLog().length;
    process.env.HTTPS_PROXY = proxy.url;
    process.env.NO_PROXY = 'example.invalid, localhost';
    try {
      const viaEnv = await direct({});
      assert.equal((await viaEnv.acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: 'alice', password: 'x' })).source, 'password');
      const viaOption = await direct({ proxyUrl: proxy.url });
      assert.equal((await viaOption.acquireTokenByUsernamePassword({ scopes: ['User.Read'], username: 'alice', password: 'x' })).source, 'password');
    } finally {
      delete process.env.HTTPS_PROXY;
      delete process.env.NO_PROXY;
    }
    // Give squid the time it would need to log a tunnel, then check none was opened.
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(proxy.accessLog().slice(before), []);
  });

  test('a dead proxy: NetworkError naming it by host:port (never its credentials), quickly', async () => {
    const port = await freePort(); // nothing listens there
    const pca = await app({ proxyUrl: `http://proxyuser:Pr0xySecret@127.0.0.1:${port}` });
    const start = Date.now();
    const err = await pca.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD }).catch((e: unknown) => e as AuthError);
    const ms = Date.now() - start;
    assert.ok(err instanceof NetworkError, `got ${String(err)}`);
    assert.equal(err.code, 'proxy_unreachable');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(`${err.message} ${JSON.stringify(err)} ${String(err.cause)}`, /proxyuser|Pr0xySecret/);
    assert.ok(ms < 5_000, `took ${ms} ms`);
  });

  test('a proxy that refuses the tunnel (a host it cannot resolve): NetworkError proxy_refused naming the proxy', async () => {
    const pca = await PublicClientApplication.create({
      auth: { clientId: CLIENT_IDS.desktop, authority: `https://nowhere.proxy-only.test:${idp.port}/contoso` },
      system: { trustedCaPem: idp.caCertPem, proxyUrl: proxy.url, requestTimeoutMs: 15_000 },
    });
    const err = await pca.acquireTokenByDeviceCode({ scopes: [SCOPES.userRead], deviceCodeCallback: () => {} }).catch((e: unknown) => e as AuthError);
    assert.ok(err instanceof NetworkError, `got ${String(err)}`);
    assert.equal(err.code, 'proxy_refused');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${proxy.port}`));
  });
});
