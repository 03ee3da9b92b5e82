// AES-256-GCM sealing of the serialized cache into the file format, and back. Pure functions: the
// plaintext only ever exists in memory; what reaches disk is the sealed buffer.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CacheKey } from './cache-key.js';
import { Algorithm, encodeHeader, FORMAT_VERSION, NONCE_BYTES, parseFile, TAG_BYTES, type ParsedFile } from './file-format.js';

/** A fresh 96-bit nonce per call: with random nonces GCM stays safe far beyond any cache's write count. */
export function seal(key: CacheKey, plaintext: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const header = encodeHeader({ version: FORMAT_VERSION, algorithm: Algorithm.aes256gcm, keyId: key.id, nonce });
  const cipher = createCipheriv('aes-256-gcm', key.bytes, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(header);
  return Buffer.concat([header, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

/** The explicit unsafe store: same header (so versioning still protects it), plain JSON body. */
export function wrapPlaintext(plaintext: Buffer): Buffer {
  const header = encodeHeader({ version: FORMAT_VERSION, algorithm: Algorithm.plaintext, keyId: Buffer.alloc(8), nonce: Buffer.alloc(NONCE_BYTES) });
  return Buffer.concat([header, plaintext]);
}

export type Opened =
  | { readonly kind: 'ok'; readonly plaintext: Buffer }
  | { readonly kind: 'unsupported'; readonly version: number }
  | { readonly kind: 'wrong-key'; readonly keyId: Buffer }
  | { readonly kind: 'wrong-algorithm' }
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * Parse and authenticate a file. `key` null means "plaintext store expected". A header naming another
 * key is reported apart (the caller may re-read the keychain once before calling it lost).
 */
export function open(file: Buffer, key: CacheKey | null): Opened {
  const parsed: ParsedFile = parseFile(file);
  if (parsed.kind !== 'ok') return parsed;
  const { header, headerBytes, body } = parsed;
  if (key === null) return header.algorithm === Algorithm.plaintext ? { kind: 'ok', plaintext: body } : { kind: 'wrong-algorithm' };
  if (header.algorithm !== Algorithm.aes256gcm) return { kind: 'wrong-algorithm' };
  if (!header.keyId.equals(key.id)) return { kind: 'wrong-key', keyId: header.keyId };
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, header.nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(headerBytes);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const plaintext = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
    return { kind: 'ok', plaintext };
  } catch {
    return { kind: 'corrupt', reason: 'authentication failed (tampered, truncated or damaged)' };
  }
}
