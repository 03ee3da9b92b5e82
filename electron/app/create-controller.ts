// Composition of the app below the Electron shell: configuration, the local IdP when no authority is
// configured, the encrypted cache, the engine and the controller. Electron's main process and the
// browser end-to-end tests both call this, with their own ShellPorts.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PublicClientApplication, type Logger } from '../core/index.js';
import { createKeychainPersistence, type KeyStore } from '../core/persistence/index.js';
import type { ShellPorts } from '../main/controller-port.js';
import type { PinnedCertificate } from '../main/certificate-policy.js';
import { fileActiveAccountStore } from './active-account-store.js';
import { resolveConfig, type AppConfig } from './config.js';
import { DesktopAppController } from './controller.js';

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
  /** An already running local IdP to use instead of starting one (tests; it is not stopped on dispose). */
  localIdp?: LocalIdp;
}

/** The part of idp/'s DevIdp the app needs. */
export interface LocalIdp {
  url: string;
  caCertPem: string;
  authority(tenant: string): string;
  stop(): Promise<void>;
}

async function readConfigFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`The configuration file ${path} is not valid JSON`, { cause: error });
  }
}

/** Electron's Certificate.fingerprint form of a PEM certificate. */
export function electronFingerprint(pem: string): string {
  const hex = new X509Certificate(pem).fingerprint256.replaceAll(':', '');
  return `sha256/${Buffer.from(hex, 'hex').toString('base64')}`;
}

export async function createAppController(ports: ShellPorts, options: CreateControllerOptions = {}): Promise<DesktopAppController> {
  const env = options.env ?? process.env;
  const configPath = env.APP_CONFIG ?? join(ports.userDataDir, 'config.json');
  const config = options.config ?? resolveConfig(await readConfigFile(configPath), env);

  let authorityUrl = config.authority;
  let trustedCaPem: string | undefined;
  let pinnedCertificates: PinnedCertificate[] = [];
  let stopIdp: (() => Promise<void>) | undefined;
  let sampleApiUrl = config.sampleApiUrl ?? undefined;
  let stopSampleApi: (() => Promise<void>) | undefined;
  if (authorityUrl === null) {
    // The local IdP only exists in development checkouts; a packaged app configured for Entra never loads it.
    let idp = options.localIdp;
    if (!idp) {
      const { startDevIdp } = await import('../../idp/index.js');
      const port = options.localIdpPort ?? (env.IDP_PORT ? Number(env.IDP_PORT) : DEFAULT_LOCAL_IDP_PORT);
      // With IWA on, the local IdP also accepts Kerberos (keytab from KRB5_KTNAME): see electron/core/iwa/README.md.
      const kerberos = config.iwa.enabled && env.KRB5_KTNAME ? { kerberos: {} } : {};
      const started = await startDevIdp({ port, dataDir: join(ports.userDataDir, 'local-idp'), ...kerberos });
      stopIdp = () => started.stop();
      idp = started;
    }
    authorityUrl = idp.authority(config.localTenant);
    trustedCaPem = idp.caCertPem;
    pinnedCertificates = [{ host: new URL(idp.url).hostname, fingerprint: electronFingerprint(idp.caCertPem) }];
    if (!sampleApiUrl) {
      // The sample API (issue 7) runs beside the local IdP, on a free loopback port.
      const { startSampleApi } = await import('../../idp/sample-api/index.js');
      const api = await startSampleApi({ idpUrl: idp.url, caCertPem: idp.caCertPem, tenant: config.localTenant });
      sampleApiUrl = api.url;
      stopSampleApi = () => api.stop();
    }
  }

  const persistence = createKeychainPersistence({
    cachePath: join(ports.userDataDir, 'token-cache.bin'),
    serviceName: KEYCHAIN_SERVICE,
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const engine = await PublicClientApplication.create({
    auth: { clientId: config.clientId, authority: authorityUrl, protocolMode: config.protocolMode, allowUsernamePassword: config.allowUsernamePassword },
    cache: { persistence },
    system: { ...(trustedCaPem ? { trustedCaPem } : {}), ...(options.logger ? { logger: options.logger } : {}) },
  });

  return DesktopAppController.create({
    config,
    engine,
    ports,
    persistence,
    activeAccount: fileActiveAccountStore(join(ports.userDataDir, 'active-account.json')),
    authority: { url: authorityUrl, origins: [new URL(authorityUrl).origin], usesLocalIdp: trustedCaPem !== undefined },
    pinnedCertificates,
    ...(options.canOpenWindow !== undefined ? { canOpenWindow: options.canOpenWindow } : {}),
    ...(sampleApiUrl ? { sampleApiUrl } : {}),
    onDispose: async () => {
      await stopSampleApi?.();
      await stopIdp?.();
    },
  });
}
