// The authority's services on other origins, each an HTTPS listener of its own on loopback (another
// port, same certificate): the federation service, the sign-in interstitial and the device login page.
// Entra users meet all three on hosts other than login.microsoftonline.com.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type Provider from 'oidc-provider';
import { hostIsOneOf, parseRequestTarget, sendJson } from '../http-util.js';
import { close, listenLoopback, type Tls } from '../listen.js';
import { createServiceKey, OneTimeIds } from './assertions.js';
import { DEVICE_LOGIN_PATH, deviceLoginService } from './device-login.js';
import { FEDERATION_PATH, federationService, type FederationTrust } from './federation.js';
import { INTERSTITIAL_PATH, interstitialService, PendingInterstitials, type InterstitialTrust } from './interstitial.js';

/** What the authority's interaction handlers need of the services. */
export interface OffOriginAuthority {
  baseUrl: string;
  /** Origins the authority's login page hands over to (its CSP form-action). */
  origins: readonly string[];
  federation: FederationTrust;
  interstitial: InterstitialTrust;
  pending: PendingInterstitials;
  /** Spent assertion ids, shared by both kinds (their `typ`s differ anyway). */
  used: OneTimeIds;
}

export interface OffOriginServices {
  authority: OffOriginAuthority;
  /** `https://localhost:PORT/adfs/ls/` */
  federationUrl: string;
  /** `https://localhost:PORT/proofup` */
  interstitialUrl: string;
  /** `https://localhost:PORT/devicelogin`: the device flow's `verification_uri`. */
  deviceLoginUrl: string;
  stop(): Promise<void>;
}

export interface OffOriginOptions {
  tls: Tls;
  /** The authority, `https://localhost:PORT`. */
  baseUrl: string;
  /** The host in the services' URLs (the authority's: `localhost` or its publicHost). */
  host: string;
  /** Host names the services answer to (those on the certificate). */
  hostNames: readonly string[];
  providers: () => ReadonlyMap<string, Provider>;
  logger: (line: string) => void;
}

type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export async function startOffOriginServices(options: OffOriginOptions): Promise<OffOriginServices> {
  const servers: Server[] = [];
  // Ports are only known once listening, and the pages need their own origin: route through a slot.
  const start = async (name: string) => {
    let route: Route | undefined;
    let origin = '';
    const handler = guarded(name, () => origin, options, (req, res, url) => (route ? route(req, res, url) : Promise.resolve(void res.writeHead(503).end())));
    const bound = await listenLoopback(options.tls, 0, handler);
    servers.push(...bound.servers);
    origin = `https://${options.host}:${bound.port}`;
    return { origin, set: (r: Route) => (route = r) };
  };
  try {
    const [federation, interstitial, deviceLogin] = [await start('federation'), await start('interstitial'), await start('device login')];
    const [federationKey, interstitialKey] = await Promise.all([
      createServiceKey(`${federation.origin}/adfs`),
      createServiceKey(`${interstitial.origin}${INTERSTITIAL_PATH}`),
    ]);
    federation.set(federationService({ baseUrl: options.baseUrl, key: federationKey, origin: federation.origin }));
    interstitial.set(interstitialService({ baseUrl: options.baseUrl, key: interstitialKey, origin: interstitial.origin }));
    deviceLogin.set(deviceLoginService({ baseUrl: options.baseUrl, origin: deviceLogin.origin, providers: options.providers }));
    const federationUrl = `${federation.origin}${FEDERATION_PATH}`;
    const interstitialUrl = `${interstitial.origin}${INTERSTITIAL_PATH}`;
    return {
      authority: {
        baseUrl: options.baseUrl,
        origins: [federation.origin, interstitial.origin],
        federation: { signInUrl: federationUrl, issuer: federationKey.issuer, publicKey: federationKey.publicKey },
        interstitial: { url: interstitialUrl, issuer: interstitialKey.issuer, publicKey: interstitialKey.publicKey },
        pending: new PendingInterstitials(),
        used: new OneTimeIds(),
      },
      federationUrl,
      interstitialUrl,
      deviceLoginUrl: `${deviceLogin.origin}${DEVICE_LOGIN_PATH}`,
      stop: () => Promise.all(servers.map(close)).then(() => undefined),
    };
  } catch (err) {
    await Promise.all(servers.map(close));
    throw err;
  }
}

/** The same front-door rules as the authority (server.ts): a plain path, a Host on our certificate; errors by name only. */
function guarded(name: string, origin: () => string, options: OffOriginOptions, route: Route): RequestListener {
  return (req, res) => {
    const self = origin();
    const url = self ? parseRequestTarget(req.url, self) : undefined;
    if (!url || !hostIsOneOf(req, options.hostNames, Number(url.port))) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'Not a request for this server.' });
    }
    res.on('finish', () => options.logger(`${name}: ${req.method} ${url.pathname} ${res.statusCode}`));
    route(req, res, url).catch((err: unknown) => {
      options.logger(`${name}: error handling ${req.method} ${url.pathname}: ${(err as Error)?.name ?? 'Error'}`);
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: `Internal error in the local ${name} service.` });
      else res.destroy();
    });
  };
}
