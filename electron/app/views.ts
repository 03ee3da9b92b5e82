// Engine results → the views the renderer may see. The one place an access token is reduced to its
// masked form and a refresh token is simply absent (the engine's results never carry one).
import type { AccountInfo, AuthenticationResult } from '../core/index.js';
import { AuthError, ClientAuthError, InteractionRequiredAuthError, NetworkError, ServerError, TimeoutError, UserCancelError, CachePersistenceError } from '../core/index.js';
import { initials } from '../../shared/initials.js';
import { maskAccessToken } from '../../shared/mask-token.js';
import { extractAadstsCode, toErrorView } from '../../shared/error-messages.js';
import type { AccountView, ErrorKind, ErrorView, TokenView } from '../../shared/views.js';
import type { AppErrorCode, NetworkReasonCode } from '../../shared/error-codes.js';

/** The tenant the identity lives in: the home profile's, else the `utid` half of an Entra homeAccountId. */
export function homeTenantOf(account: AccountInfo): string {
  for (const profile of account.tenantProfiles.values()) if (profile.isHomeTenant) return profile.tenantId;
  const [, utid] = account.homeAccountId.split('.');
  return utid ?? account.tenantId;
}

export function toAccountView(account: AccountInfo, tenantNames: Readonly<Record<string, string>> = {}): AccountView {
  const homeTenantId = homeTenantOf(account);
  const nameOf = (tenantId: string) => (Object.hasOwn(tenantNames, tenantId) ? tenantNames[tenantId] : undefined);
  const tenantName = nameOf(account.tenantId);
  const homeTenantName = nameOf(homeTenantId);
  return {
    ...(tenantName ? { tenantName } : {}),
    ...(homeTenantName ? { homeTenantName } : {}),
    homeAccountId: account.homeAccountId,
    name: account.name ?? account.username,
    username: account.username,
    tenantId: account.tenantId,
    homeTenantId,
    isGuest: account.tenantId !== homeTenantId,
    initials: initials(account.name, account.username),
  };
}

export function toTokenView(result: AuthenticationResult, requestedScopes: readonly string[], acquiredOn: number): TokenView {
  return {
    homeAccountId: result.account?.homeAccountId ?? '',
    requestedScopes: [...requestedScopes],
    grantedScopes: result.scopes,
    expiresOn: result.expiresOn.getTime(),
    ...(result.refreshOn ? { refreshOn: result.refreshOn.getTime() } : {}),
    acquiredOn,
    source: result.source,
    fromCache: result.fromCache,
    idTokenClaims: JSON.parse(JSON.stringify(result.idTokenClaims ?? {})),
    accessTokenMasked: maskAccessToken(result.accessToken),
    tokenType: result.tokenType,
  };
}

function kindOf(error: unknown): ErrorKind {
  if (error instanceof UserCancelError) return 'cancelled';
  if (error instanceof TimeoutError) return 'timeout';
  if (error instanceof InteractionRequiredAuthError) return 'interaction_required';
  if (error instanceof ServerError) return 'server';
  if (error instanceof NetworkError) return 'network';
  if (error instanceof CachePersistenceError) return 'persistence';
  if (error instanceof ClientAuthError) return 'client';
  return 'internal';
}

/** Socket and TLS error codes (Node's and undici's) → what the UI says failed. */
const NETWORK_REASONS: Readonly<Record<string, NetworkReasonCode>> = {
  ECONNREFUSED: 'connection_refused',
  ENOTFOUND: 'host_not_found',
  EAI_AGAIN: 'host_not_found',
  ETIMEDOUT: 'connection_timed_out',
  UND_ERR_CONNECT_TIMEOUT: 'connection_timed_out',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  UND_ERR_SOCKET: 'connection_reset',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_failed',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_failed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_failed',
  CERT_HAS_EXPIRED: 'tls_failed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_failed',
};

/**
 * Why a NetworkError happened, from the `code` of an error in its cause chain (or an AggregateError's
 * members, as a dual-stack connect attempt throws): stable codes, never message text. Bounded walk.
 */
export function networkReason(error: unknown): NetworkReasonCode | undefined {
  const queue: unknown[] = [error];
  for (let seen = 0; queue.length > 0 && seen < 16; seen++) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null) continue;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(NETWORK_REASONS, code)) return NETWORK_REASONS[code];
    queue.push((e as { cause?: unknown }).cause);
    const members = (e as { errors?: unknown }).errors;
    if (Array.isArray(members)) queue.push(...members.slice(0, 4));
  }
  return undefined;
}

/** Any error → an ErrorView. Only the engine's typed errors (whose messages are secret-free) lend detail. */
export function errorToView(error: unknown): ErrorView {
  if (error instanceof NetworkError) {
    const reason = networkReason(error.cause);
    if (reason) return toErrorView({ kind: 'network', code: reason });
  }
  if (error instanceof AuthError) {
    const description = error instanceof ServerError ? error.errorDescription : undefined;
    const serverCode = extractAadstsCode(description) ?? (error instanceof ServerError || error instanceof InteractionRequiredAuthError ? error.code : undefined);
    return toErrorView({
      kind: kindOf(error),
      code: error.code,
      ...(serverCode ? { serverCode } : {}),
      ...(error instanceof ServerError && error.correlationId ? { correlationId: error.correlationId } : {}),
      detail: error.message,
    });
  }
  if (error instanceof AppError) return toErrorView({ kind: error.kind, code: error.code, detail: error.message });
  return toErrorView({ kind: 'internal', code: 'internal_error' });
}

/** The controller's own refusals (no such account, a sign-in already running, ...). */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: AppErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
