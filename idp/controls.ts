// Test controls of a running IdP: change lifetimes, revoke consent, disable users, count requests.
import { findTenant, TENANT_LIST, USER_LIST, type DemoUser, type Tenant } from './directory.js';
import type { RecordedRequest, RequestFilter, RequestLog } from './request-log.js';
import { validLifetimes, validRefreshTokenReuse, type DeviceFlowSettings, type IdpSettings, type RefreshTokenReuse, type TokenLifetimes } from './settings.js';
import type { MemoryStore } from './store.js';
import { RevocationEvents } from './cae.js';

export class UnknownUserError extends Error {
  override readonly name = 'UnknownUserError';
  readonly code = 'unknown_user';
}

export class UnknownTenantError extends Error {
  override readonly name = 'UnknownTenantError';
  readonly code = 'unknown_tenant';
}

export interface IdpControls {
  /** Lifetimes in seconds for tokens issued from now on. */
  setTokenLifetimes(lifetimes: Partial<TokenLifetimes>): void;
  tokenLifetimes(): TokenLifetimes;
  /** Device flow polling interval and slow_down increment, for codes issued from now on. */
  setDeviceFlow(settings: Partial<DeviceFlowSettings>): void;
  /**
   * Revoke every grant (consent, refresh and access tokens) and browser session of a user, in one
   * tenant or in all their tenants. Returns the number of grants revoked.
   */
  revokeGrants(user: string, tenant?: string): number;
  /**
   * When each user's sessions were last revoked (revokeGrants), per tenant: the critical events Entra
   * sends CAE-enabled APIs. The sample API reads it to refuse older, still-valid tokens.
   */
  readonly revocations: RevocationEvents;
  /** A disabled user cannot sign in and their refresh tokens fail with invalid_grant. */
  disableUser(user: string): void;
  enableUser(user: string): void;
  /** Delay every token endpoint answer, after the grant was processed (0 = none). */
  delayTokenResponses(ms: number): void;
  /**
   * Whether an already-redeemed refresh token still works (`allow`, Entra's behaviour and the default)
   * or revokes its grant (`revoke`, reuse detection). Applies to refresh tokens redeemed from now on.
   */
  setRefreshTokenReuse(mode: RefreshTokenReuse): void;
  /** Requests that reached the IdP (all, or those whose path matches). */
  requestCount(filter?: RequestFilter): number;
  requests(filter?: RequestFilter): RecordedRequest[];
  resetCounts(): void;
}

/** By short name (`alice`) or UPN. */
export function findUser(name: string): DemoUser {
  const n = name.toLowerCase();
  const user = USER_LIST.find((u) => u.username === n || u.upn.toLowerCase() === n);
  if (!user) throw new UnknownUserError(`no demo user named ${name}`);
  return user;
}

export function createControls(settings: IdpSettings, store: MemoryStore, log: RequestLog, now: () => number = Date.now): IdpControls {
  const revocations = new RevocationEvents();
  return {
    revocations,
    setTokenLifetimes(lifetimes) {
      Object.assign(settings.lifetimes, validLifetimes(lifetimes));
    },
    tokenLifetimes: () => ({ ...settings.lifetimes }),
    setDeviceFlow(next) {
      Object.assign(settings.deviceFlow, next);
    },
    revokeGrants(userName, tenantName) {
      const user = findUser(userName);
      const tenants: (Tenant | undefined)[] = tenantName ? [findTenant(tenantName)] : [...TENANT_LIST];
      if (tenants.includes(undefined)) throw new UnknownTenantError(`no tenant named ${tenantName}`);
      let revoked = 0;
      for (const m of user.memberships) {
        if (!tenants.some((t) => t?.id === m.tenantId)) continue;
        for (const grant of store.grantsOf(m.tenantId, m.oid)) {
          store.revokeGrant(m.tenantId, grant.id);
          revoked += 1;
        }
        store.endSessionsOf(m.tenantId, m.oid);
        revocations.record(m.tenantId, m.oid, Math.floor(now() / 1000));
      }
      return revoked;
    },
    disableUser(userName) {
      settings.disabledUsers.add(findUser(userName).username);
    },
    enableUser(userName) {
      settings.disabledUsers.delete(findUser(userName).username);
    },
    delayTokenResponses(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('delayTokenResponses: ms must be a number ≥ 0');
      settings.tokenResponseDelayMs = ms;
    },
    setRefreshTokenReuse(mode) {
      settings.refreshTokenReuse = validRefreshTokenReuse(mode);
    },
    requestCount: (filter) => log.count(filter),
    requests: (filter) => log.list(filter),
    resetCounts: () => log.reset(),
  };
}
