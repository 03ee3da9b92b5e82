// The authority's signing keys, fetched through the pinned HTTP client and cached. An ID token whose
// `kid` is unknown triggers exactly one re-fetch (the IdP may have rotated its keys), never a loop.
import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { ClientAuthError, ClientAuthErrorCode as C } from './errors.js';
import { mapProtocolError } from './protocol-errors.js';
import type { FetchLike } from './http/pinned-fetch.js';

export class JwksCache {
  private keys: Promise<JWTVerifyGetKey> | undefined;

  constructor(
    private readonly jwksUri: () => Promise<string>,
    private readonly fetch: FetchLike,
  ) {}

  /** A key resolver for jose's jwtVerify that re-fetches once on an unknown kid. */
  resolver(): JWTVerifyGetKey {
    let refetched = false;
    return async (header, token) => {
      let getKey = await this.load(false);
      try {
        return await getKey(header, token);
      } catch (err) {
        if (!(err instanceof joseErrors.JWKSNoMatchingKey) || refetched) throw err;
        refetched = true;
        getKey = await this.load(true);
        return await getKey(header, token);
      }
    };
  }

  private load(refresh: boolean): Promise<JWTVerifyGetKey> {
    if (refresh || !this.keys) {
      this.keys = this.fetchKeys().catch((err: unknown) => {
        this.keys = undefined;
        throw err;
      });
    }
    return this.keys;
  }

  private async fetchKeys(): Promise<JWTVerifyGetKey> {
    const uri = await this.jwksUri();
    const response = await this.fetch(uri, { headers: { accept: 'application/json' } });
    if (response.status !== 200) {
      throw new ClientAuthError('jwks_unavailable', `The signing keys could not be loaded (HTTP ${response.status})`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      throw mapProtocolError(new ClientAuthError(C.invalidJson, 'The signing keys are not valid JSON', { cause: err }), 'jwks');
    }
    if (!body || typeof body !== 'object' || !Array.isArray((body as { keys?: unknown }).keys)) {
      throw new ClientAuthError('jwks_unavailable', 'The signing keys document has no keys');
    }
    return createLocalJWKSet(body as JSONWebKeySet);
  }
}
