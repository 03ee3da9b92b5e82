// PublicClientApplication: MSAL Node's public client surface over the flows in ./flows. It holds the
// shared context (authority, pinned HTTP client, JWKS, cache) and delegates each call to its flow.
import { createEngineContext } from './create-engine-context.js';
import { accountInfoFrom } from './account.js';
import { drainEngine, tracked } from './drain.js';
import { acquireTokenSilent } from './flows/silent.js';
import { acquireTokenInteractive } from './flows/interactive.js';
import { acquireTokenByDeviceCode } from './flows/device-code.js';
import { acquireTokenByUsernamePassword } from './flows/password.js';
import { acquireTokenByIntegratedWindowsAuth } from './flows/iwa.js';
import type { EngineContext } from './engine-context.js';
import type { SerializableTokenCache } from './cache/persistence.js';
import type {
  AccountInfo,
  AuthenticationResult,
  CachedTokensInfo,
  DeviceCodeRequest,
  IntegratedWindowsAuthRequest,
  InteractiveRequest,
  PublicClientConfiguration,
  SignOutResult,
  SilentRequest,
  UsernamePasswordRequest,
} from './types.js';

export class PublicClientApplication {
  /** Exposed for sibling modules (IWA, tests); not part of the documented API. */
  readonly context: EngineContext;
  private readonly allowUsernamePassword: boolean;

  private constructor(config: PublicClientConfiguration) {
    this.context = createEngineContext(config);
    this.allowUsernamePassword = config.auth.allowUsernamePassword === true;
  }

  /** Discovery is loaded lazily, on the first call that needs it, and cached. */
  static async create(config: PublicClientConfiguration): Promise<PublicClientApplication> {
    return new PublicClientApplication(config);
  }

  acquireTokenSilent(request: SilentRequest): Promise<AuthenticationResult> {
    return tracked(this.context, acquireTokenSilent(this.context, request));
  }
  acquireTokenInteractive(request: InteractiveRequest): Promise<AuthenticationResult> {
    return tracked(this.context, acquireTokenInteractive(this.context, request));
  }
  acquireTokenByDeviceCode(request: DeviceCodeRequest): Promise<AuthenticationResult> {
    return tracked(this.context, acquireTokenByDeviceCode(this.context, request));
  }
  acquireTokenByUsernamePassword(request: UsernamePasswordRequest): Promise<AuthenticationResult> {
    return tracked(this.context, acquireTokenByUsernamePassword(this.context, this.allowUsernamePassword, request));
  }
  /** Kerberos (SPNEGO) with no UI; every failure is an InteractionRequiredAuthError within 5 s. */
  acquireTokenByIntegratedWindowsAuth(request: IntegratedWindowsAuthRequest): Promise<AuthenticationResult> {
    return tracked(this.context, acquireTokenByIntegratedWindowsAuth(this.context, request));
  }

  async getAllAccounts(): Promise<AccountInfo[]> {
    const { cache, clientId, authority } = this.context;
    return cache.read(() =>
      cache
        .accounts()
        .filter((a) => a.environment === authority.environment)
        .map((a) => accountInfoFrom(a, cache.idTokensOf(a.home_account_id), clientId)),
    );
  }

  async getAccount(homeAccountId: string): Promise<AccountInfo | null> {
    return (await this.getAllAccounts()).find((a) => a.homeAccountId === homeAccountId) ?? null;
  }

  /** Removes every cache entry of the account (all tenants), persisted like any other change. */
  async removeAccount(account: Pick<AccountInfo, 'homeAccountId'>): Promise<void> {
    const { cache } = this.context;
    await cache.write(() => cache.removeAccount(account.homeAccountId));
  }

  /** removeAccount, plus the IdP's end-session URL for the shell to clear the browser session. */
  async signOut(account: AccountInfo): Promise<SignOutResult> {
    await this.removeAccount(account);
    let endSession: string | undefined;
    try {
      endSession = (await this.context.authority.metadata()).end_session_endpoint;
    } catch {
      endSession = undefined; // offline: the local sign-out still happened
    }
    if (!endSession) return {};
    const url = new URL(endSession);
    url.searchParams.set('client_id', this.context.clientId);
    const hint = account.idTokenClaims?.login_hint ?? (this.context.authority.protocolMode === 'entra' ? account.username : undefined);
    if (hint) url.searchParams.set('logout_hint', hint);
    return { endSessionUrl: url.href };
  }

  /**
   * The account's cached tokens for this app as metadata (scopes, realm, times; whether a refresh token
   * exists and for which client / family), for a token table. Read-only, and by construction without
   * any secret: only named fields are copied, never an entity.
   */
  async getCachedTokens(account: Pick<AccountInfo, 'homeAccountId'>): Promise<CachedTokensInfo> {
    const { cache, clientId, authority } = this.context;
    const env = authority.environment.toLowerCase();
    const { accessTokens, refreshTokens } = await cache.read(() => cache.credentialsOf(account.homeAccountId));
    const ours = <T extends { environment: string; client_id: string }>(e: T) => e.environment.toLowerCase() === env && e.client_id === clientId;
    const ms = (seconds: string | undefined) => (seconds !== undefined && /^\d+$/.test(seconds) ? Number(seconds) * 1000 : undefined);
    const rt = refreshTokens.find(ours);
    return {
      accessTokens: accessTokens.filter(ours).flatMap((e) => {
        const expiresOn = ms(e.expires_on);
        if (expiresOn === undefined || e.user_assertion_hash !== undefined) return [];
        const refreshOn = ms(e.refresh_on);
        return [{
          scopes: e.target.split(' ').filter(Boolean),
          realm: e.realm,
          clientId: e.client_id,
          cachedAt: ms(e.cached_at) ?? 0,
          expiresOn,
          ...(refreshOn !== undefined ? { refreshOn } : {}),
          ...(e.token_type ? { tokenType: e.token_type } : {}),
        }];
      }),
      refreshToken: rt ? { present: true, clientId: rt.client_id, ...(rt.family_id ? { familyId: rt.family_id } : {}) } : { present: false },
    };
  }

  getTokenCache(): SerializableTokenCache {
    return this.context.cache;
  }

  /**
   * Before the process ends: waits up to `timeoutMs` for running and background refreshes and the
   * cache writes they make, so a rotated refresh token is never lost. True when all settled in time.
   */
  drain(timeoutMs = 5_000): Promise<boolean> {
    return drainEngine(this.context, timeoutMs);
  }
}
