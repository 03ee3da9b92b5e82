// extraCaFile: the corporate root a packaged app cannot get through NODE_EXTRA_CA_CERTS. Set by file or
// AUTH_EXTRA_CA_FILE, read at start; a bad file stops the start with a ConfigError naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEFAULT_CONFIG, loadExtraCa, resolveConfig } from '../config.js';
import { createAppController } from '../create-controller.js';
import { localhostCert } from '../../../testkit/cert.js';

let dir: string;
let pem: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'extra-ca-'));
  pem = (await localhostCert()).cert;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isConfigError = (e: unknown) => e instanceof ConfigError && e.field === 'extraCaFile' && e.code === 'invalid_config';

test('extraCaFile: none by default; from the file or AUTH_EXTRA_CA_FILE (which wins); absolute paths only', () => {
  assert.equal(resolveConfig(undefined, {}).extraCaFile, null);
  assert.equal(DEFAULT_CONFIG.extraCaFile, null);
  assert.equal(resolveConfig({ extraCaFile: '/etc/corp/root.pem' }, {}).extraCaFile, '/etc/corp/root.pem');
  assert.equal(resolveConfig({ extraCaFile: '/a.pem' }, { AUTH_EXTRA_CA_FILE: '/b.pem' }).extraCaFile, '/b.pem');
  assert.throws(() => resolveConfig({ extraCaFile: 'relative/root.pem' }, {}), isConfigError);
  assert.throws(() => resolveConfig({ extraCaFile: 42 }, {}), isConfigError);
});

test('loadExtraCa: the certificates of a PEM bundle; a missing, empty or broken file is a ConfigError', async () => {
  const good = join(dir, 'bundle.pem');
  await writeFile(good, `# corporate roots\n${pem}\n${pem}`);
  const loaded = await loadExtraCa(good);
  assert.equal(loaded.match(/BEGIN CERTIFICATE/g)?.length, 2);

  await assert.rejects(loadExtraCa(join(dir, 'missing.pem')), (e: unknown) => isConfigError(e) && /ENOENT/.test((e as Error).message));
  const empty = join(dir, 'empty.pem');
  await writeFile(empty, 'not a certificate');
  await assert.rejects(loadExtraCa(empty), (e: unknown) => isConfigError(e) && /no PEM certificate/.test((e as Error).message));
  const broken = join(dir, 'broken.pem');
  await writeFile(broken, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  await assert.rejects(loadExtraCa(broken), isConfigError);
});

test('the app does not start with a bad extraCaFile (before any IdP or keychain is touched)', async () => {
  const ports = {
    openLoginWindow: () => ({ close() {} }),
    clearLoginSession: async () => {},
    writeClipboard: async () => {},
    openExternal: async () => {},
    userDataDir: dir,
  };
  await assert.rejects(createAppController(ports, { config: { ...DEFAULT_CONFIG, extraCaFile: join(dir, 'missing.pem') } }), isConfigError);
});
