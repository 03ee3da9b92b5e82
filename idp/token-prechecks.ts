// Token requests looked at before oidc-provider handles them, for Entra behaviour it does not have:
// - refresh tokens are multi-resource in Entra (one refresh token serves every API the user consented
//   to), while oidc-provider limits a refresh token to the scopes of its original request;
// - an API scope without consent fails with `invalid_grant` + suberror `consent_required` (AADSTS65001);
// - device-code polling faster than the interval gets `slow_down` (RFC 8628), which oidc-provider skips;
// - Entra's short `grant_type=device_code` (what msal-node sends) names RFC 8628's device code grant.
import type Provider from 'oidc-provider';
import type { Grant } from 'oidc-provider';
import { OIDC_SCOPES } from './directory.js';
import { accessTokenClaimsRequest, stepUpReason } from './cae.js';
import type { DeviceCodePacer } from './device-pacing.js';
import { apiForScope, splitScopes } from './resources.js';

export interface TokenErrorBody {
  error: string;
  error_description: string;
  suberror?: string;
  error_codes?: number[];
  interval?: number;
}

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/** grant_type values Entra accepts for a standard grant (msal-node's device code flow sends `device_code`). */
export const GRANT_TYPE_ALIASES: Readonly<Record<string, string>> = { device_code: DEVICE_CODE_GRANT };

/**
 * The token request with an Entra alias of `grant_type` replaced by the standard name oidc-provider
 * knows, or undefined when there is nothing to replace. A repeated grant_type is left alone, for
 * oidc-provider to refuse.
 */
export function withStandardGrantType(params: URLSearchParams): URLSearchParams | undefined {
  const grantTypes = params.getAll('grant_type');
  const standard = grantTypes.length === 1 && Object.hasOwn(GRANT_TYPE_ALIASES, grantTypes[0]!) ? GRANT_TYPE_ALIASES[grantTypes[0]!] : undefined;
  if (!standard) return undefined;
  const out = new URLSearchParams(params);
  out.set('grant_type', standard);
  return out;
}

export function consentRequired(clientId: string, scopes: readonly string[]): TokenErrorBody {
  return {
    error: 'invalid_grant',
    error_description:
      `AADSTS65001: The user or administrator has not consented to use the application with ID '${clientId}' ` +
      `for ${scopes.join(' ')}. Send an interactive authorization request for this user and resource.`,
    error_codes: [65001],
    suberror: 'consent_required',
  };
}

/**
 * A refresh with a claims request the refresh token's sign-in cannot satisfy (an authentication context
 * it did not do, or `nbf` after it: a CAE challenge after revocation): Entra answers interaction_required,
 * the refresh token staying good, and MSAL goes interactive with the same claims.
 */
export function claimsNeedInteraction(reason: 'acrs' | 'nbf'): TokenErrorBody {
  return {
    error: 'interaction_required',
    error_description:
      reason === 'acrs'
        ? 'AADSTS50076: The claims request asks for an authentication context this sign-in did not satisfy. Sign in again with the same claims.'
        : 'AADSTS50173: The claims request asks for a sign-in more recent than this refresh token. Sign in again with the same claims.',
    error_codes: [reason === 'acrs' ? 50076 : 50173],
  };
}

export function slowDown(interval: number): TokenErrorBody {
  return {
    error: 'slow_down',
    error_description: `You are polling too quickly: wait at least ${interval} seconds between requests.`,
    interval,
  };
}

/** API scopes asked for that the grant does not hold. */
export function missingConsent(grant: Pick<Grant, 'getResourceScopeFiltered'>, requested: readonly string[]): string[] {
  return requested.filter((scope) => {
    const api = apiForScope(scope);
    return api !== undefined && grant.getResourceScopeFiltered(api.resource, [scope]) === '';
  });
}

/** Everything the grant holds, as one scope string and resource list for a widened refresh token. */
export function grantedScopesAndResources(grant: Grant): { scope: string; resources: string[] } {
  const oidc = splitScopes(grant.openid?.scope).filter((s) => (OIDC_SCOPES as readonly string[]).includes(s));
  const resources = Object.keys(grant.resources ?? {});
  const apiScopes = resources.flatMap((r) => splitScopes(grant.resources?.[r]));
  return { scope: [...new Set([...oidc, 'offline_access', ...apiScopes])].join(' '), resources };
}

export async function precheckTokenRequest(
  provider: Provider,
  pacer: DeviceCodePacer,
  params: URLSearchParams,
): Promise<TokenErrorBody | undefined> {
  const grantType = params.get('grant_type');
  if (grantType === DEVICE_CODE_GRANT) {
    const code = params.get('device_code');
    const verdict = code ? pacer.poll(code) : { ok: true as const };
    return verdict.ok ? undefined : slowDown(verdict.interval);
  }
  if (grantType === 'refresh_token') return precheckRefresh(provider, params);
  return undefined;
}

async function precheckRefresh(provider: Provider, params: URLSearchParams): Promise<TokenErrorBody | undefined> {
  const value = params.get('refresh_token');
  if (!value) return undefined;
  const rt = await provider.RefreshToken.find(value);
  // Unknown, expired or already-used tokens: oidc-provider gives the right invalid_grant itself.
  if (!rt || rt.consumed || rt.clientId !== params.get('client_id')) return undefined;
  const grant = rt.grantId ? await provider.Grant.find(rt.grantId) : undefined;
  if (!grant) return undefined;

  const stepUp = stepUpReason(accessTokenClaimsRequest(params.get('claims')), { acr: rt.acr, authTime: rt.authTime });
  if (stepUp) return claimsNeedInteraction(stepUp);

  const missing = missingConsent(grant, splitScopes(params.get('scope') ?? undefined));
  if (missing.length) return consentRequired(rt.clientId, missing);

  const { scope, resources } = grantedScopesAndResources(grant);
  if (scope !== rt.scope || resources.length > 0) {
    rt.scope = scope;
    rt.resource = resources.length === 1 ? resources[0] : resources.length ? resources : undefined;
    await rt.save();
  }
  return undefined;
}
