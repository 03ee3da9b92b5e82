// The local identity provider: `startDevIdp()` starts an Entra-shaped OpenID Provider over HTTPS on
// loopback, used by `npm start`, `npm run idp` and every test that signs in.
import type { RequestListener } from 'node:http';
import type { Server } from 'node:https';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadOrCreateCertificate } from './certificate.js';
import { createControls, type IdpControls } from './controls.js';
import { DeviceCodePacer } from './device-pacing.js';
import { TENANT_LIST, TENANTS, type TenantName } from './directory.js';
import { createTenantProvider, issuerFor } from './provider.js';
import { RequestLog } from './request-log.js';
import { createRequestHandler, OWN_HOST_NAMES, type Logger, type TenantServer } from './server.js';
import { close, listenLoopback } from './listen.js';
import { startOffOriginServices } from './off-origin/services.js';
import { createKerberosAcceptor, type KerberosOptions } from './kerberos.js';
import { createSettings, type DeviceFlowSettings, type RefreshTokenReuse, type TokenLifetimes } from './settings.js';
import { loadOrCreateSigningKeys } from './signing-keys.js';
import { MemoryStore } from './store.js';
import type { ConfidentialClientOptions } from './confidential-clients.js';

export * from './directory.js';
export type { IdpControls } from './controls.js';
export type { KerberosOptions } from './kerberos.js';
export { NEGOTIATE_ERRORS } from './kerberos.js';
export type { RecordedRequest, RequestFilter } from './request-log.js';
export type { TokenLifetimes, DeviceFlowSettings, RefreshTokenReuse } from './settings.js';
export { DEFAULT_LIFETIMES } from './settings.js';
export * from './confidential-clients.js';

/** `.data/idp` at the repository root (gitignored), whether running from idp/ or a built dist/idp/. */
export const DEFAULT_DATA_DIR = join(packageRoot(import.meta.dirname), '.data', 'idp');

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export interface DevIdpOptions {
  /** 0 = ephemeral (tests). Default 0. */
  port?: number;
  /** Where the certificate and signing keys live. Default `.data/idp` at the repository root. */
  dataDir?: string;
  tokenLifetimes?: Partial<TokenLifetimes>;
  deviceFlow?: Partial<DeviceFlowSettings>;
  /**
   * `allow` (default, as Entra): a refresh token stays valid after it was redeemed (a new one is issued
   * each time). `revoke`: redeeming it again revokes the grant (reuse detection), for tests that need it.
   */
  refreshTokenReuse?: RefreshTokenReuse;
  /** One line per request (method, path, status) and errors; never tokens, codes or query strings. */
  logger?: Logger;
  /** Confidential clients (issue 7): `daemonPublicJwks` registers the certificate daemon. */
  confidential?: ConfidentialClientOptions;
  /**
   * Accept HTTP Negotiate (Kerberos SPNEGO) on the login step for the `HTTP/<host>` service, with the
   * keytab named by KRB5_KTNAME (or `keytab`). Off by default: the login page then never challenges.
   */
  kerberos?: KerberosOptions;
  /**
   * The host name in the IdP's URLs (issuer, endpoints) instead of `localhost`, e.g. a name only a test
   * proxy resolves (testkit/proxy.ts). The certificate then names it too; the server still listens on
   * loopback only.
   */
  publicHost?: string;
}

export interface TenantInfo {
  id: string;
  name: string;
  /** `https://localhost:PORT/<name>` */
  authority: string;
  /** `https://localhost:PORT/<guid>/v2.0` */
  issuer: string;
}

export interface DevIdp {
  /** `https://localhost:PORT`, no trailing slash. */
  url: string;
  port: number;
  /** The self-signed certificate to pin (it is its own CA). */
  caCertPem: string;
  certPath: string;
  dataDir: string;
  tenants: Record<TenantName, TenantInfo>;
  /** Authority of a tenant by name or GUID, e.g. `authority('contoso')`. */
  authority(tenant: TenantName | string): string;
  controls: IdpControls;
  /**
   * Services on origins of their own (other loopback ports), as Entra users meet them on other hosts:
   * the federation sign-in service of `northwind.example` (`…/adfs/ls/`), the "More information
   * required" interstitial (`…/proofup`), and the device login page (`…/devicelogin`), which the
   * device flow's `verification_uri` names.
   */
  federationUrl: string;
  interstitialUrl: string;
  deviceLoginUrl: string;
  stop(): Promise<void>;
}

export async function startDevIdp(options: DevIdpOptions = {}): Promise<DevIdp> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const logger = options.logger ?? (() => {});
  const publicHost = options.publicHost?.toLowerCase();
  if (publicHost !== undefined && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(publicHost)) {
    throw new Error('publicHost must be a DNS name such as idp.example.test');
  }
  const extraNames = publicHost ? [publicHost] : [];
  const [tls, keys] = await Promise.all([loadOrCreateCertificate(dataDir, new Date(), extraNames), loadOrCreateSigningKeys(dataDir)]);

  const settings = createSettings(options.tokenLifetimes, options.deviceFlow, options.refreshTokenReuse);
  const store = new MemoryStore();
  const log = new RequestLog();
  const pacer = new DeviceCodePacer(() => settings.deviceFlow.slowDownIncrement);
  const tenants = new Map<string, TenantServer>();
  let baseUrl = '';

  // The issuer contains the port, so providers are created once the port is known; until then the
  // handler answers 503 (a request could only arrive in that instant by guessing the port).
  let ready: RequestListener | undefined;
  const handler: RequestListener = (req, res) => (ready ? ready(req, res) : res.writeHead(503).end());

  const authority = await listenLoopback(tls, options.port ?? 0, handler);
  const servers: Server[] = [...authority.servers];
  const port = authority.port;

  baseUrl = `https://${publicHost ?? 'localhost'}:${port}`;
  const offOrigin = await startOffOriginServices({
    tls,
    baseUrl,
    host: publicHost ?? 'localhost',
    hostNames: [...OWN_HOST_NAMES, ...extraNames],
    providers: () => new Map([...tenants].map(([id, t]) => [id, t.provider])),
    logger,
  }).catch(async (err: unknown) => {
    await Promise.all(servers.map(close));
    throw err;
  });
  for (const tenant of TENANT_LIST) {
    const provider = createTenantProvider({
      baseUrl,
      tenant,
      settings,
      store,
      keys,
      pacer,
      confidential: options.confidential,
      deviceLoginUrl: offOrigin.deviceLoginUrl,
    });
    provider.on('server_error', (_ctx: unknown, err: Error) => logger(`oidc-provider server_error in ${tenant.name}: ${err.name}`));
    tenants.set(tenant.id, { tenant, provider, callback: provider.callback() });
  }
  const kerberos = options.kerberos ? createKerberosAcceptor(new URL(baseUrl).hostname, options.kerberos) : undefined;
  ready = createRequestHandler({ baseUrl, tenants, settings, pacer, store, log, logger, offOrigin: offOrigin.authority, ...(kerberos ? { kerberos } : {}) });

  const tenantInfo = (name: TenantName): TenantInfo => ({
    id: TENANTS[name].id,
    name,
    authority: `${baseUrl}/${name}`,
    issuer: issuerFor(baseUrl, TENANTS[name].id),
  });

  return {
    url: baseUrl,
    port,
    caCertPem: tls.certPem,
    certPath: tls.certPath,
    dataDir,
    tenants: { contoso: tenantInfo('contoso'), fabrikam: tenantInfo('fabrikam'), northwind: tenantInfo('northwind') },
    authority: (tenant) => `${baseUrl}/${tenant}`,
    controls: createControls(settings, store, log),
    federationUrl: offOrigin.federationUrl,
    interstitialUrl: offOrigin.interstitialUrl,
    deviceLoginUrl: offOrigin.deviceLoginUrl,
    stop: () => Promise.all([...servers.map(close), offOrigin.stop()]).then(() => undefined),
  };
}
