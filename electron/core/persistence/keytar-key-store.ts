// The KeyStore backed by keytar: macOS Keychain, Windows Credential Manager, Linux Secret Service
// (gnome-keyring / KWallet over D-Bus). keytar is a native module, so it is loaded on first use: a
// missing or broken build turns into "keychain unavailable" instead of breaking the engine's import.
import type { KeyStore } from './key-store.js';
import { toKeychainError } from './keychain-errors.js';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

let loaded: Promise<Keytar> | undefined;
function loadKeytar(): Promise<Keytar> {
  loaded ??= import('keytar').then((m) => ((m as { default?: Keytar }).default ?? (m as unknown as Keytar)));
  return loaded;
}

export interface KeytarKeyStoreOptions {
  service: string;
  account: string;
}

export function createKeytarKeyStore({ service, account }: KeytarKeyStoreOptions): KeyStore {
  // Every failure, including a failed native load, leaves as a CachePersistenceError with a stable code.
  const call = async <T>(action: string, run: (k: Keytar) => Promise<T>): Promise<T> => {
    try {
      return await run(await loadKeytar());
    } catch (error) {
      throw toKeychainError(error, action);
    }
  };
  return {
    description: `keytar: ${service}/${account}`,
    get: () => call('read the cache key', (k) => k.getPassword(service, account)),
    set: (secret) => call('store the cache key', (k) => k.setPassword(service, account, secret)),
    delete: () => call('delete the cache key', (k) => k.deletePassword(service, account)),
  };
}
