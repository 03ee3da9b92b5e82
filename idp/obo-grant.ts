// On-behalf-of (Entra's OAuth 2.0 OBO): a confidential web API trades the access token it received from
// a user (`assertion`) for a token to a downstream API for that same user. The grant type is RFC 7523's
// jwt-bearer with `requested_token_use=on_behalf_of`; oidc-provider has no such grant, so it is a custom
// grant type (client authentication is done by oidc-provider before this handler runs).
//
// The assertion is checked as Entra does: signed by this IdP, issued by this tenant, not expired, and
// for the calling client's own API (`aud` = `api://sample-api` for client `sample-api`).
// Deviation: Entra also needs the API to have consent for the downstream scopes; here that consent is
// taken as granted by an admin (recorded on the fly, as the password grant does for users).
import type Provider from 'oidc-provider';
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type { JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { accountFinder, isDisabled } from './accounts.js';
import { OBO_GRANT, OWNED_API } from './confidential-clients.js';
import { findUserByOid, type Tenant } from './directory.js';
import { apiForScope, resourcesForScopes, splitScopes } from './resources.js';
import { resourceServerInfo } from './resource-servers.js';
import type { IdpSettings } from './settings.js';

export { OBO_GRANT };
export const OBO_GRANT_PARAMS = ['assertion', 'requested_token_use', 'scope'] as const;

/** oidc-provider's InvalidGrant hides its text; Entra's AADSTS wording helps people find the cause. */
function invalidGrant(description: string) {
  return new errors.CustomOIDCProviderError('invalid_grant', description);
}

/** Only the public members of the signing keys: the IdP's own published JWKS. */
export function publicJwks(keys: readonly JsonWebKey[]): { keys: JWK[] } {
  return {
    keys: keys.map(({ kty, n, e, crv, x, y, kid, alg, use }) =>
      Object.fromEntries(Object.entries({ kty, n, e, crv, x, y, kid, alg, use }).filter(([, v]) => v !== undefined)) as JWK,
    ),
  };
}

export interface OboDeps {
  tenant: Tenant;
  issuer: string;
  settings: IdpSettings;
  signingKeys: readonly JsonWebKey[];
}

/** The user an assertion names, or a typed reason why it is refused (never echoing the assertion). */
export async function verifyAssertion(
  assertion: string,
  expected: { issuer: string; audience: string; keys: ReturnType<typeof createLocalJWKSet> },
): Promise<{ oid: string; scp: string }> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(assertion, expected.keys, { issuer: expected.issuer, audience: expected.audience, algorithms: ['RS256'] }));
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') throw invalidGrant('AADSTS500133: Assertion is not within its valid time range.');
    if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && (err as { claim?: string }).claim === 'aud') {
      throw invalidGrant(`AADSTS50013: Assertion failed signature validation or audience check: its audience must be ${expected.audience}.`);
    }
    throw invalidGrant('AADSTS50013: Assertion failed signature validation.');
  }
  if (typeof payload.oid !== 'string' || typeof payload.scp !== 'string') {
    // An app-only token (roles, no user) cannot be exchanged on behalf of a user.
    throw invalidGrant('AADSTS50013: The assertion is not a user token (no oid/scp).');
  }
  return { oid: payload.oid, scp: payload.scp };
}

export function oboGrant(deps: OboDeps) {
  const { tenant, issuer, settings } = deps;
  const keys = createLocalJWKSet(publicJwks(deps.signingKeys));
  const findAccount = accountFinder(tenant.id, settings);

  return async function oboGrantHandler(ctx: KoaContextWithOIDC): Promise<void> {
    const params = ctx.oidc.params as Record<string, string | undefined>;
    if (params.requested_token_use !== 'on_behalf_of') throw new errors.InvalidRequest("requested_token_use must be 'on_behalf_of'");
    if (!params.assertion) throw new errors.InvalidRequest('assertion is required');
    const client = ctx.oidc.client!;
    const ownApi = OWNED_API[client.clientId];
    if (!ownApi) throw new errors.UnauthorizedClient('this client exposes no API, so it cannot act on behalf of a user');

    const { oid } = await verifyAssertion(params.assertion, { issuer, audience: ownApi, keys });
    const tu = findUserByOid(tenant.id, oid);
    if (!tu || isDisabled(settings, tu)) throw invalidGrant('AADSTS50057: The user account is disabled or does not exist.');

    const scopes = splitScopes(params.scope).filter((s) => apiForScope(s));
    const [resource] = resourcesForScopes(scopes);
    if (!resource) throw new errors.InvalidScope('scope must name a downstream API (e.g. User.Read)', params.scope ?? '');
    if (resource === ownApi) throw new errors.InvalidTarget('on-behalf-of must ask for another API than the caller itself');
    const api = apiForScope(scopes[0]!)!;
    // `<resource>/.default` means every scope the API was granted: here all of the downstream API's.
    const granted = scopes.some((s) => s.toLowerCase().endsWith('/.default')) ? [...api.scopes] : scopes.filter((s) => apiForScope(s)?.resource === resource);

    const provider = ctx.oidc.provider as Provider;
    const grant = new provider.Grant({ accountId: oid, clientId: client.clientId });
    grant.addResourceScope(resource, granted.join(' '));
    const grantId = await grant.save();

    const account = await findAccount(ctx, oid);
    if (!account) throw invalidGrant('AADSTS50057: The user account is disabled or does not exist.');
    ctx.oidc.entity('Account', account);
    ctx.oidc.entity('Grant', grant);

    const at = new provider.AccessToken({ accountId: oid, client, grantId, gty: OBO_GRANT });
    at.resourceServer = new provider.ResourceServer(resource, resourceServerInfo(resource));
    at.scope = grant.getResourceScopeFiltered(resource, granted);
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    ctx.body = { access_token: accessToken, token_type: at.tokenType ?? 'Bearer', expires_in: at.expiration, scope: at.scope };
  };
}
