// The on-disk layout. Everything before the ciphertext is the header, and the whole header is GCM
// additional data: changing the version, key id or nonce makes authentication fail like any other
// tampering.
//
//   offset  size  field
//   0       4     magic "EDTC" (Entra Desktop Token Cache)
//   4       1     format version (1)
//   5       1     algorithm: 1 = AES-256-GCM, 0 = plaintext (only with allowUnsafePlaintext)
//   6       8     key id (zeros for plaintext)
//   14      12    nonce, fresh per write (zeros for plaintext)
//   26      n     ciphertext (or the plain JSON)
//   26+n    16    GCM tag (absent for plaintext)
//
// Only magic and version are promised to stay where they are: a reader that sees a newer version
// stops there and refuses to touch the file.

export const MAGIC = Buffer.from('EDTC', 'ascii');
export const FORMAT_VERSION = 1;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
export const HEADER_BYTES = 4 + 1 + 1 + 8 + NONCE_BYTES;

export const Algorithm = { plaintext: 0, aes256gcm: 1 } as const;
export type Algorithm = (typeof Algorithm)[keyof typeof Algorithm];

export interface Header {
  readonly version: number;
  readonly algorithm: Algorithm;
  readonly keyId: Buffer;
  readonly nonce: Buffer;
}

export type ParsedFile =
  | { readonly kind: 'ok'; readonly header: Header; readonly headerBytes: Buffer; readonly body: Buffer }
  | { readonly kind: 'unsupported'; readonly version: number }
  | { readonly kind: 'corrupt'; readonly reason: string };

export function encodeHeader(header: Header): Buffer {
  const out = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(out, 0);
  out.writeUInt8(header.version, 4);
  out.writeUInt8(header.algorithm, 5);
  header.keyId.copy(out, 6, 0, 8);
  header.nonce.copy(out, 14, 0, NONCE_BYTES);
  return out;
}

/** Split a file into header and body without trusting anything in it. */
export function parseFile(file: Buffer): ParsedFile {
  if (file.length < 5 || !file.subarray(0, 4).equals(MAGIC)) return { kind: 'corrupt', reason: 'not a token cache file (bad magic or truncated)' };
  const version = file.readUInt8(4);
  if (version > FORMAT_VERSION) return { kind: 'unsupported', version };
  if (version !== FORMAT_VERSION) return { kind: 'corrupt', reason: `invalid format version ${version}` };
  if (file.length < HEADER_BYTES) return { kind: 'corrupt', reason: 'truncated header' };
  const algorithm = file.readUInt8(5);
  if (algorithm !== Algorithm.plaintext && algorithm !== Algorithm.aes256gcm) return { kind: 'corrupt', reason: `unknown algorithm ${algorithm}` };
  if (algorithm === Algorithm.aes256gcm && file.length < HEADER_BYTES + TAG_BYTES) return { kind: 'corrupt', reason: 'truncated body' };
  const headerBytes = file.subarray(0, HEADER_BYTES);
  return {
    kind: 'ok',
    headerBytes,
    header: { version, algorithm, keyId: file.subarray(6, 14), nonce: file.subarray(14, HEADER_BYTES) },
    body: file.subarray(HEADER_BYTES),
  };
}
