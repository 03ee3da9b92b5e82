// Token signing keys (published as the JWKS) and cookie keys, persisted in the data folder.
// One key set serves every tenant, as Entra's keys are shared across tenants.
import { createHash, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { join } from 'node:path';
import { createPrivateOnce, ensureDataDir, readIfExists, writePrivate } from './data-dir.js';

export interface SigningMaterial {
  /** Private JWKS for oidc-provider's `jwks` option. */
  jwks: { keys: JsonWebKey[] };
  cookieKeys: string[];
}

export const SIGNING_KEYS_FILE = 'signing-keys.json';

export async function loadOrCreateSigningKeys(dataDir: string): Promise<SigningMaterial> {
  await ensureDataDir(dataDir);
  const path = join(dataDir, SIGNING_KEYS_FILE);
  const existing = await readIfExists(path);
  if (existing) {
    const parsed = parseMaterial(existing);
    if (parsed) return parsed;
    // A damaged file is replaced: tokens signed by the old key just stop validating.
    await writePrivate(path, JSON.stringify(createMaterial(), null, 2));
  }
  // First start (or a concurrent one): whoever creates the file first decides the keys for all.
  const stored = parseMaterial(await createPrivateOnce(path, JSON.stringify(createMaterial(), null, 2)));
  if (!stored) throw new Error(`${path} is not a valid signing key file`);
  return stored;
}

function parseMaterial(text: string): SigningMaterial | undefined {
  try {
    const value = JSON.parse(text) as Partial<SigningMaterial>;
    if (Array.isArray(value.jwks?.keys) && value.jwks.keys.length > 0 && Array.isArray(value.cookieKeys)) {
      return value as SigningMaterial;
    }
  } catch {
    // Not JSON: treated as missing by the caller.
  }
  return undefined;
}

function createMaterial(): SigningMaterial {
  // RS256 because every Entra client library expects it.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  return {
    jwks: { keys: [{ ...jwk, kid: thumbprint(jwk), alg: 'RS256', use: 'sig' }] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

/** RFC 7638 thumbprint as the key id: stable and derived from the public part only. */
function thumbprint(jwk: JsonWebKey): string {
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return createHash('sha256').update(canonical).digest('base64url');
}
