// Composition of the app below the Electron shell: configuration, the local IdP when no authority is
// configured, the encrypted cache, the engine and the controller. Electron's main process and the
// browser end-to-end tests both call this, with their own ShellPorts.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublicClientApplication, type Clock, type Logger } from '../core/index.js';
import { createKeychainPersistence, type KeychainPersistence, type KeyStore } from '../core/persistence/index.js';
import type { PinnedCertificate, ShellPorts } from './ports.js';
import { fileActiveAccountStore, type FileActiveAccountStore } from './active-account-store.js';
import { ConfigFileError, loadExtraCa, resolveConfig, type AppConfig } from './config.js';
import { DesktopAppController, type ControllerOptions } from './controller.js';

/** The Keychain service name the cache key is stored under (documented in the README). */
export const KEYCHAIN_SERVICE = 'entra-desktop-sample';
/** The local IdP's port when the app starts it: fixed, so cached accounts match it after a restart. */
export const DEFAULT_LOCAL_IDP_PORT = 5443;

export interface CreateControllerOptions {
  env?: NodeJS.ProcessEnv;
  /** Skip reading a file; use this configuration (tests). */
  config?: AppConfig;
  /** Tests inject a key store; the app uses the OS keychain through keytar. */
  keyStore?: KeyStore;
  localIdpPort?: number;
  canOpenWindow?: boolean;
  logger?: Logger;
  /** The engine's clock (tests move it past a token's refresh_on). */
  clock?: Clock;
  /** An already running local IdP to use instead of starting one (tests; it is not stopped on dispose). */
  localIdp?: LocalIdp;
}

/** The part of idp/'s DevIdp the app needs. */
export interface LocalIdp {
  url: string;
  caCertPem: string;
  authority(tenant: string): string;
  stop(): Promise<void>;
  /** Its revoked-sessions events, which the bundled sample API checks tokens against (CAE). */
  controls?: { revocations?: { revokedAt(tenantId: string, oid: string): number | undefined } };
}

async function readConfigFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigFileError(path, { cause: error });
  }
}

/** What the UI shows about storage: the cache's state, and the active-account file's warning beside the cache's. */
function storageView(cache: KeychainPersistence, active: FileActiveAccountStore): ControllerOptions['persistence'] & object {
  return {
    get state() {
      return cache.state;
    },
    get warnings() {
      // The view holds at most 50 (shared/views.ts), as does the cache on its own.
      return active.warnings.length ? [...cache.warnings, ...active.warnings].slice(-50) : cache.warnings;
    },
  };
}

/** Electron's Certificate.fingerprint form of a PEM certificate. */
export function electronFingerprint(pem: string): string {
  const hex = new X509Certificate(pem).fingerprint256.replaceAll(':', '');
  return `sha256/${Buffer.from(hex, 'hex').toString('base64')}`;
}

export async function createAppController(ports: ShellPorts, options: CreateControllerOptions = {}): Promise<DesktopAppController> {
  // What this function starts (the local IdP, the sample API), stopped in reverse on dispose — or at
  // once when a later step fails, so a failed start leaves no listener keeping the process alive.
  const started: Array<() => Promise<void>> = [];
  const stopStarted = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    return await compose(ports, options, started, stopStarted);
  } catch (error) {
    await stopStarted();
    throw error;
  }
}

async function compose(
  ports: ShellPorts,
  options: CreateControllerOptions,
  started: Array<() => Promise<void>>,
  stopStarted: () => Promise<void>,
): Promise<DesktopAppController> {
  const env = options.env ?? process.env;
  const configPath = env.APP_CONFIG ?? join(ports.userDataDir, 'config.json');
  let config = options.config ?? resolveConfig(await readConfigFile(configPath), env);
  const extraCaPem = config.extraCaFile ? await loadExtraCa(config.extraCaFile) : undefined;

  let authorityUrl = config.authority;
  let trustedCaPem: string | undefined;
  let pinnedCertificates: PinnedCertificate[] = [];
  let sampleApiUrl = config.sampleApiUrl ?? undefined;
  if (authorityUrl === null) {
    // The local IdP only exists in development checkouts; a packaged app configured for Entra never loads it.
    let idp = options.localIdp;
    if (!idp) {
      const { startDevIdp } = await import('../../idp/index.js');
      const port = options.localIdpPort ?? (env.IDP_PORT ? Number(env.IDP_PORT) : DEFAULT_LOCAL_IDP_PORT);
      // With IWA on, the local IdP also accepts Kerberos (keytab from KRB5_KTNAME): see electron/core/iwa/README.md.
      const kerberos = config.iwa.enabled && env.KRB5_KTNAME ? { kerberos: {} } : {};
      const own = await startDevIdp({ port, dataDir: join(ports.userDataDir, 'local-idp'), ...kerberos });
      started.push(() => own.stop());
      idp = own;
    }
    authorityUrl = idp.authority(config.localTenant);
    // The local IdP's tenants have names (idp/directory.ts): show "Contoso", not only a GUID.
    const { TENANT_LIST } = await import('../../idp/directory.js');
    config = { ...config, tenantNames: { ...Object.fromEntries(TENANT_LIST.map((t) => [t.id, t.displayName])), ...config.tenantNames } };
    trustedCaPem = idp.caCertPem;
    pinnedCertificates = [{ host: new URL(idp.url).hostname, fingerprint: electronFingerprint(idp.caCertPem) }];
    if (!sampleApiUrl) {
      // The sample API (issue 7) runs beside the local IdP, on a free loopback port.
      const { startSampleApi } = await import('../../idp/sample-api/index.js');
      const revocations = idp.controls?.revocations;
      const api = await startSampleApi({ idpUrl: idp.url, caCertPem: idp.caCertPem, tenant: config.localTenant, ...(revocations ? { revocations } : {}) });
      sampleApiUrl = api.url;
      started.push(() => api.stop());
    }
  }

  const persistence = createKeychainPersistence({
    cachePath: join(ports.userDataDir, 'token-cache.bin'),
    serviceName: KEYCHAIN_SERVICE,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const engine = await PublicClientApplication.create({
    auth: {
      clientId: config.clientId,
      authority: authorityUrl,
      protocolMode: config.protocolMode,
      allowUsernamePassword: config.allowUsernamePassword,
      clientCapabilities: config.clientCapabilities,
    },
    cache: { persistence },
    system: {
      // The pin holds on the local IdP's host only; every other host gets the OS store and extraCaFile.
      ...(trustedCaPem ? { trustedCaPem, pinnedHost: new URL(authorityUrl).host } : {}),
      ...(extraCaPem ? { extraCaPem } : {}),
      ...(ports.resolveProxy ? { resolveProxy: (url: string) => ports.resolveProxy!(url) } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    },
  });

  const activeAccount = fileActiveAccountStore(join(ports.userDataDir, 'active-account.json'), options.logger ? { logger: options.logger } : {});
  // Storage never stops the app from starting: the persistence turns every fault into a state (read-only,
  // memory-only…) and the active-account store into a warning, both shown by the UI.
  return DesktopAppController.create({
    config,
    engine,
    ports,
    persistence: storageView(persistence, activeAccount),
    activeAccount,
    authority: { url: authorityUrl, origins: [new URL(authorityUrl).origin], usesLocalIdp: trustedCaPem !== undefined },
    pinnedCertificates,
    ...(options.canOpenWindow !== undefined ? { canOpenWindow: options.canOpenWindow } : {}),
    ...(sampleApiUrl ? { sampleApiUrl } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    onDispose: stopStarted,
  });
}
