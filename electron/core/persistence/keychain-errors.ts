// keytar reports every failure as a bare Error whose message comes from libsecret / Keychain / the
// Credential Manager. These are the messages seen on our machines (RECIPES.md) and on the other OSes;
// the mapping is pure so it is tested without a keychain.
import { redactText } from '../errors.js';
import { CachePersistenceError, CachePersistenceErrorCode as Code, type CachePersistenceErrorCode } from './errors.js';

const PATTERNS: ReadonlyArray<readonly [RegExp, CachePersistenceErrorCode, string]> = [
  [/Cannot autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Could not connect: No such file/i, Code.keychainNoDbus, 'No D-Bus session: the OS keychain cannot be reached'],
  [/org\.freedesktop\.secrets was not provided|ServiceUnknown/i, Code.keychainNoProvider, 'No Secret Service provider (gnome-keyring, KWallet, ...) is running'],
  [/Object does not exist at path .*collection/i, Code.keychainNoCollection, 'The keychain has no default ("login") collection'],
  [/locked collection|is locked|Cannot get secret of a locked object/i, Code.keychainLocked, 'The keychain is locked'],
  [/denied|cancel+ed|not allowed|user interaction is not allowed|passphrase you entered/i, Code.keychainDenied, 'Access to the keychain was denied'],
];

/** The stable code for a keytar failure message; unknown messages are `keychain_unavailable`. */
export function keychainErrorCode(message: string): CachePersistenceErrorCode {
  for (const [pattern, code] of PATTERNS) if (pattern.test(message)) return code;
  return Code.keychainUnavailable;
}

/** Wrap whatever keytar threw in a typed error; the cause keeps only the library's fixed message. */
export function toKeychainError(error: unknown, action: string): CachePersistenceError {
  if (error instanceof CachePersistenceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = keychainErrorCode(message);
  // An unknown message is kept (redacted, it is a library's fixed text) so support can add a pattern for it.
  const sentence = PATTERNS.find(([, c]) => c === code)?.[2] ?? `The OS keychain is unavailable: ${redactText(message).slice(0, 200)}`;
  return new CachePersistenceError(code, `${sentence} (while trying to ${action})`, { cause: error, state: 'memory-only' });
}
