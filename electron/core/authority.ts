// Where the authority's metadata comes from, per protocol mode (as MSAL's protocolMode):
//  - 'entra': tenant authorities (https://host/<tenant>), discovery under <authority>/v2.0/, issuers
//    that may be the literal template .../{tenantid}/v2.0 (common/organizations), resolved from `tid`.
//  - 'oidc':  any OpenID Provider: discovery at <authority>/.well-known/openid-configuration, whose
//    `issuer` must equal the authority exactly (OIDC Discovery §4.3).
// Metadata is loaded lazily, once; a failed load is not cached so the next call retries.
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode } from './errors.js';
import { mapProtocolError } from './protocol-errors.js';

// Exported by oauth4webapi for exactly this (issuer ≠ authority URL, Entra's issuer template) but not
// in its type declarations.
const hidden = oauth as unknown as { _nodiscoverycheck: symbol; _expectedIssuer: symbol };
import type { FetchLike } from './http/pinned-fetch.js';

export type ProtocolMode = 'entra' | 'oidc';

export class Authority {
  readonly url: URL;
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
    url.pathname = url.pathname.replace(/\/+$/, '');
    url.search = '';
    url.hash = '';
    if (knownAuthorities.length > 0 && !knownAuthorities.some((k) => hostOf(k) === url.host)) {
      throw new ClientAuthError('untrusted_authority', `The authority host ${url.host} is not in auth.knownAuthorities`);
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
    const issuerUrl = new URL(entra ? `${this.url.href}/v2.0` : this.url.href);
    let as: oauth.AuthorizationServer;
    try {
      const response = await oauth.discoveryRequest(issuerUrl, { algorithm: 'oidc', [oauth.customFetch]: this.fetch });
      // Entra's issuer is the tenant GUID (or the {tenantid} template), not the authority URL we were given.
      as = await oauth.processDiscoveryResponse(entra ? (hidden._nodiscoverycheck as unknown as URL) : issuerUrl, response);
    } catch (err) {
      throw mapProtocolError(err, 'discovery');
    }
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
      if (typeof as[field] !== 'string') {
        throw new ClientAuthError(ClientAuthErrorCode.discoveryFailed, `The authority's metadata has no ${field}`);
      }
    }
    if (entra && as.issuer.includes('{tenantid}')) {
      // Multi-tenant authorities: the expected issuer depends on the token's own tenant.
      const template = as.issuer;
      (as as unknown as Record<symbol, unknown>)[hidden._expectedIssuer] = (result: { claims: Record<string, unknown> }) =>
        resolveIssuer(template, result.claims);
    }
    return as;
  }
}

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
