// Where the authority's metadata comes from, per protocol mode (as MSAL's protocolMode):
//  - 'entra': tenant authorities (https://host/<tenant>), discovery under <authority>/v2.0/, issuers
//    that may be the literal template .../{tenantid}/v2.0 (common/organizations), resolved from `tid`.
//  - 'oidc':  any OpenID Provider: discovery at <authority>/.well-known/openid-configuration, whose
//    `issuer` must equal the authority exactly (OIDC Discovery §4.3). A trailing `/` is dropped only to
//    build that path (oauth4webapi does it): an issuer `https://op/tenant/` is configured as exactly that.
// Metadata is loaded lazily, once; a failed load is not cached so the next call retries.
import * as oauth from 'oauth4webapi';
import { decodeJwt } from 'jose';
import { ClientAuthError, ClientAuthErrorCode } from './errors.js';
import { mapProtocolError } from './protocol-errors.js';

import type { FetchLike } from './http/pinned-fetch.js';

export type ProtocolMode = 'entra' | 'oidc';

export class Authority {
  /** The authority without a trailing `/` (Entra paths are built on it). */
  readonly url: URL;
  /** OIDC mode: the issuer the discovery document must name, the authority exactly as configured. */
  private readonly issuer: URL;
  /** MSAL's "environment": the authority's host (with port), part of every cache key. */
  readonly environment: string;
  private metadataPromise: Promise<oauth.AuthorizationServer> | undefined;

  constructor(
    authority: string,
    readonly protocolMode: ProtocolMode,
    private readonly fetch: FetchLike,
    knownAuthorities: readonly string[] = [],
  ) {
    let url: URL;
    try {
      url = new URL(authority);
    } catch {
      throw new ClientAuthError(ClientAuthErrorCode.invalidArgument, 'auth.authority is not a URL');
    }
    if (url.protocol !== 'https:') throw new ClientAuthError(ClientAuthErrorCode.invalidArgument, 'auth.authority must use https');
    url.search = '';
    url.hash = '';
    this.issuer = new URL(url.href);
    url.pathname = url.pathname.replace(/\/+$/, '');
    if (knownAuthorities.length > 0 && !knownAuthorities.some((k) => hostOf(k) === url.host)) {
      throw new ClientAuthError(ClientAuthErrorCode.untrustedAuthority, `The authority host ${url.host} is not in auth.knownAuthorities`);
    }
    this.url = url;
    this.environment = url.host.toLowerCase();
  }

  metadata(): Promise<oauth.AuthorizationServer> {
    this.metadataPromise ??= this.load().catch((err: unknown) => {
      this.metadataPromise = undefined;
      throw err;
    });
    return this.metadataPromise;
  }

  private async load(): Promise<oauth.AuthorizationServer> {
    const entra = this.protocolMode === 'entra';
    const issuerUrl = entra ? new URL(`${this.url.href}/v2.0`) : this.issuer;
    let as: oauth.AuthorizationServer;
    try {
      const response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oidc', [oauth.customFetch]: this.fetch });
      // Entra's issuer is the tenant GUID (or the {tenantid} template), not the authority URL we were
      // given: the document's own issuer is expected once it has the shape of an Entra issuer.
      as = await oauth.processDiscoveryResponse(entra ? await entraIssuerOf(response, issuerUrl) : issuerUrl, response);
    } catch (err) {
      throw mapProtocolError(err, 'discovery');
    }
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof as[field] !== 'string') {
        throw new ClientAuthError(ClientAuthErrorCode.discoveryFailed, `The authority's metadata has no ${field}`);
      }
    }
    // Multi-tenant authorities keep the {tenantid} template as their issuer: each token response is
    // processed against the template resolved with that response's `tid` (`metadataForTokenResponse`).
    return as;
  }
}

/**
 * The issuer an Entra discovery document must name: its own, if that is an https URL shaped like an
 * Entra issuer (`https://host/<tenant or {tenantid}>/v2.0`, the host may be another alias of the cloud),
 * else the authority's `/v2.0` (which then fails the comparison as any other wrong issuer would).
 * Public API only: oauth4webapi compares the document with the URL we pass.
 */
async function entraIssuerOf(response: Response, fallback: URL): Promise<URL> {
  let issuer: unknown;
  try {
    issuer = ((await response.clone().json()) as { issuer?: unknown } | null)?.issuer;
  } catch {
    return fallback; // not JSON: processDiscoveryResponse reports it
  }
  if (typeof issuer !== 'string') return fallback;
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return fallback;
  }
  return url.protocol === 'https:' && !url.search && !url.hash && ENTRA_ISSUER_PATH.test(url.pathname) ? url : fallback;
}
/** `/<tenant>/v2.0`, the tenant one segment (a GUID, a domain, or the percent-encoded `{tenantid}`). */
const ENTRA_ISSUER_PATH = /^\/[^/]+\/v2\.0$/;

/**
 * The metadata to process one token response with. For Entra's multi-tenant `{tenantid}` issuer,
 * oauth4webapi's author recommends resolving the issuer from the ID token's `tid` and passing that as
 * `as.issuer` (panva/oauth4webapi#131): the `tid` is read unverified here only to choose the expected
 * issuer; oauth4webapi compares `iss` with it, and id-token.ts checks the signature and the issuer again
 * from the verified claims. Without a readable `tid` the template stays, and the comparison fails.
 */
export async function metadataForTokenResponse(as: oauth.AuthorizationServer, response: Response): Promise<oauth.AuthorizationServer> {
  if (!as.issuer.includes('{tenantid}')) return as;
  const tid = await unverifiedTid(response);
  return tid === undefined ? as : { ...as, issuer: resolveIssuer(as.issuer, { tid }) };
}

async function unverifiedTid(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { id_token?: unknown } | null;
    if (typeof body?.id_token !== 'string') return undefined;
    const { tid } = decodeJwt(body.id_token);
    return typeof tid === 'string' && TENANT_ID.test(tid) ? tid : undefined;
  } catch {
    return undefined; // oauth4webapi then reports the malformed body or token itself
  }
}
/** A tenant id is a GUID (or, in tests and sovereign clouds, a short name): one path segment. */
const TENANT_ID = /^[\w.-]{1,64}$/;

/** Entra's `{tenantid}` issuer template resolved from the token's `tid`; other issuers unchanged. */
export function resolveIssuer(issuer: string, claims: Record<string, unknown>): string {
  if (!issuer.includes('{tenantid}')) return issuer;
  return typeof claims.tid === 'string' ? issuer.replace('{tenantid}', claims.tid) : issuer;
}

function hostOf(authority: string): string {
  try {
    return new URL(authority.includes('://') ? authority : `https://${authority}`).host;
  } catch {
    return authority;
  }
}
