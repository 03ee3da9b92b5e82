// The 256-bit AES key, as kept in the keychain (base64) and as named in the file header (key id).
import { createHash, randomBytes } from 'node:crypto';

export const KEY_BYTES = 32;
export const KEY_ID_BYTES = 8;

export interface CacheKey {
  readonly bytes: Buffer;
  /** Names the key in the file header, so "wrong key" is told apart from "tampered file". */
  readonly id: Buffer;
}

/** A truncated hash: it identifies the key without revealing anything usable about it. */
export function keyId(bytes: Buffer): Buffer {
  return createHash('sha256').update('entra-desktop-cache-key-id\0').update(bytes).digest().subarray(0, KEY_ID_BYTES);
}

export function generateKey(): CacheKey {
  const bytes = randomBytes(KEY_BYTES);
  return { bytes, id: keyId(bytes) };
}

/** The keychain's base64 text back to a key; null when it is not a 256-bit key (so it is treated as missing). */
export function decodeKey(secret: string): CacheKey | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(secret.trim())) return null;
  const bytes = Buffer.from(secret.trim(), 'base64');
  return bytes.length === KEY_BYTES ? { bytes, id: keyId(bytes) } : null;
}

export const encodeKey = (key: CacheKey): string => key.bytes.toString('base64');
