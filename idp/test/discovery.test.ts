// Discovery documents, keys, certificate persistence and the `npm run idp` entry point.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import { TENANTS } from '../index.js';
import { discover, startTestIdp, type TestIdp } from './helpers.js';

describe('discovery', () => {
  let idp: TestIdp;
  before(async () => {
    idp = await startTestIdp();
  });
  after(() => idp.close());

  for (const tenant of Object.values(TENANTS)) {
    for (const segment of [tenant.name, tenant.id]) {
      it(`${tenant.name} by ${segment === tenant.id ? 'GUID' : 'name'}: Entra endpoints under the GUID`, async () => {
        const response = await oauth.discoveryRequest(new URL(`${idp.url}/${segment}/v2.0`), { ...idp.http, algorithm: 'oidc' });
        const as = await oauth.processDiscoveryResponse(new URL(`${idp.url}/${tenant.id}/v2.0`), response);
        const base = `${idp.url}/${tenant.id}`;
        assert.equal(as.authorization_endpoint, `${base}/oauth2/v2.0/authorize`);
        assert.equal(as.token_endpoint, `${base}/oauth2/v2.0/token`);
        assert.equal(as.device_authorization_endpoint, `${base}/oauth2/v2.0/devicecode`);
        assert.equal(as.end_session_endpoint, `${base}/oauth2/v2.0/logout`);
        assert.equal(as.jwks_uri, `${base}/discovery/v2.0/keys`);
        assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
        assert.ok(as.grant_types_supported?.includes('password'));
        assert.equal(as.cloud_instance_name, 'localhost');
      });
    }
  }

  for (const segment of ['common', 'organizations']) {
    it(`${segment}: issuer is the {tenantid} template; keys served; sign-in explained`, async () => {
      const doc = (await (await idp.fetch(`${idp.url}/${segment}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
      assert.equal(doc.issuer, `${idp.url}/{tenantid}/v2.0`);
      assert.equal(doc.token_endpoint, `${idp.url}/${segment}/oauth2/v2.0/token`);
      const keys = (await (await idp.fetch(doc.jwks_uri!)).json()) as { keys: Array<Record<string, unknown>> };
      assert.ok(keys.keys.length > 0);
      assert.ok(keys.keys.every((k) => k.d === undefined), 'only public keys');
      const signIn = await idp.fetch(doc.authorization_endpoint!);
      assert.equal(signIn.status, 400);
      assert.match(String(((await signIn.json()) as Record<string, string>).error_description), /tenant authority/);
    });
  }

  it('unknown tenant is AADSTS90002', async () => {
    const response = await idp.fetch(`${idp.url}/tailspin/v2.0/.well-known/openid-configuration`);
    assert.equal(response.status, 400);
    assert.match(String(((await response.json()) as Record<string, string>).error_description), /AADSTS90002/);
  });

  it('tenants share one published signing key, as Entra', async () => {
    const contoso = await discover(idp, 'contoso');
    const fabrikam = await discover(idp, 'fabrikam');
    const a = await (await idp.fetch(contoso.jwks_uri!)).json();
    const b = await (await idp.fetch(fabrikam.jwks_uri!)).json();
    assert.deepEqual(a, b);
  });
});

describe('key material', () => {
  it('certificate covers localhost and 127.0.0.1, is reused across restarts, and keys are private files', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-keys-'));
    try {
      const first = await startTestIdp({ dataDir });
      const jwks1 = await (await first.fetch(`${first.url}/contoso/discovery/v2.0/keys`)).json();
      await first.close();
      const second = await startTestIdp({ dataDir });
      const jwks2 = await (await second.fetch(`${second.url}/contoso/discovery/v2.0/keys`)).json();
      await second.close();
      assert.equal(second.caCertPem, first.caCertPem);
      assert.deepEqual(jwks2, jwks1);
      const cert = new X509Certificate(first.caCertPem);
      assert.ok(cert.checkHost('localhost'));
      assert.ok(cert.checkIP('127.0.0.1'));
      for (const file of ['tls-key.pem', 'signing-keys.json']) {
        assert.equal((await stat(join(dataDir, file))).mode & 0o077, 0, `${file} readable by others`);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('concurrent first starts', () => {
  it('IdPs starting together on a fresh folder agree on keys, and each serves TLS', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-race-'));
    try {
      const idps = await Promise.all([1, 2, 3].map(() => startTestIdp({ dataDir })));
      try {
        const spki = (pem: string) => new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
        assert.equal(new Set(idps.map((i) => spki(i.caCertPem))).size, 1, 'one TLS key');
        const jwks = await Promise.all(idps.map(async (i) => JSON.stringify(await (await i.fetch(`${i.url}/contoso/discovery/v2.0/keys`)).json())));
        assert.equal(new Set(jwks).size, 1, 'one signing key');
      } finally {
        await Promise.all(idps.map((i) => i.close()));
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run idp', () => {
  it('prints the ready line, then the services on other origins, and stops on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'idp-cli-'));
    const root = resolve(import.meta.dirname, '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'idp/cli.ts'], {
      cwd: root,
      env: { ...process.env, IDP_PORT: '0', IDP_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      const started = Date.now();
      const line = await new Promise<string>((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready: ${stdout}`)), 20_000);
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          // The ready line, then one line per service on another origin, all in one write.
          if (stdout.split('\n').length > 4) {
            clearTimeout(timer);
            resolveLine(stdout.split('\n')[0]!.trim());
          }
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const match = /^IdP ready at (https:\/\/localhost:\d+) \(certificate: (.+)\)$/.exec(line);
      assert.ok(match, line);
      assert.equal(match[2], join(dataDir, 'tls-cert.pem'));
      // Ready-time budget is 3 s on a quiet machine; the test machine is shared, so only report it.
      console.log(`npm run idp ready after ${Date.now() - started} ms (includes tsx start-up)`);
      const exit = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      assert.equal(await exit, 0);
      const services = stdout.trim().split('\n').slice(1);
      assert.deepEqual(
        services.map((l) => /^ {2}(.+): (https:\/\/localhost:\d+\/\S*)$/.exec(l)?.[1]),
        ['federation service (northwind.example)', 'sign-in interstitial (erin)', 'device login'],
        stdout,
      );
    } finally {
      child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
