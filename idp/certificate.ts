// The IdP's TLS certificate: self-signed for localhost and 127.0.0.1 (plus any `extraNames`, e.g. a
// name only a test proxy resolves). Clients pin exactly this certificate (Chromium pins its key), so it
// is created once and then reused.
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { createPrivateOnce, ensureDataDir, readIfExists, writePrivate } from './data-dir.js';

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  certPath: string;
}

export const CERT_FILE = 'tls-cert.pem';
export const KEY_FILE = 'tls-key.pem';

const VALID_DAYS = 397; // the longest lifetime browsers accept for a server certificate

/**
 * The key is created first and never replaced; the certificate is (re)issued for that key when it is
 * missing, expiring or does not match. Two IdPs racing on a fresh folder thus end up with the same
 * key, and any certificate either of them wrote is valid for it.
 */
export async function loadOrCreateCertificate(dataDir: string, now = new Date(), extraNames: readonly string[] = []): Promise<TlsMaterial> {
  await ensureDataDir(dataDir);
  const certPath = join(dataDir, CERT_FILE);
  const keyPem = (await readIfExists(join(dataDir, KEY_FILE))) ?? (await createPrivateOnce(join(dataDir, KEY_FILE), newKeyPem()));
  const existing = await readIfExists(certPath);
  if (existing && isUsable(existing, keyPem, now, extraNames)) return { certPem: existing, keyPem, certPath };

  const certPem = await createCertificate(keyPem, now, extraNames);
  await writePrivate(certPath, certPem);
  return { certPem, keyPem, certPath };
}

/** Valid for another day, for this key, and covering both loopback names (and `extraNames`): otherwise reissue. */
export function isUsable(certPem: string, keyPem: string, now: Date, extraNames: readonly string[] = []): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const dayAhead = new Date(now.getTime() + 24 * 3600 * 1000);
    return (
      new Date(cert.validTo) > dayAhead &&
      cert.checkPrivateKey(createPrivateKey(keyPem)) &&
      cert.checkHost('localhost') !== undefined &&
      cert.checkIP('127.0.0.1') !== undefined &&
      extraNames.every((name) => cert.checkHost(name) !== undefined)
    );
  } catch {
    return false;
  }
}

function newKeyPem(): string {
  // P-256: quick to generate (RSA would add up to a second to a cold start) and accepted everywhere.
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
}

async function createCertificate(keyPem: string, now: Date, extraNames: readonly string[]): Promise<string> {
  const publicKey = createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }) as string;
  const result = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    keyPair: { privateKey: keyPem, publicKey },
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALID_DAYS * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          ...extraNames.map((value) => ({ type: 2 as const, value })),
        ],
      },
    ],
  });
  return result.cert;
}
