// PublicClientApplication: MSAL Node's public client surface over the flows in ./flows. It holds the
// shared context (authority, pinned HTTP client, JWKS, cache) and delegates each call to its flow.
import { createEngineContext } from './create-engine-context.js';
import { accountInfosFrom } from './account.js';
import { drainEngine, tracked } from './drain.js';
import { acquireTokenSilent } from './flows/silent.js';
import { acquireTokenInteractive } from './flows/interactive.js';
import { acquireTokenByDeviceCode } from './flows/device-code.js';
import { acquireTokenByUsernamePassword } from './flows/password.js';
import { acquireTokenByIntegratedWindowsAuth } from './flows/iwa.js';
import * as oauth from 'oauth4webapi';
import { startLoopback } from './flows/loopback.js';
import { ClientAuthError, ClientAuthErrorCode, UserCancelError } from './errors.js';
import type { EngineContext } from './engine-context.js';
import type { SerializableTokenCache } from './cache/persistence.js';
import type {
  AccountInfo,
  AuthenticationResult,
  CachedTokensInfo,
  DeviceCodeRequest,
  EndSessionRequest,
  EndSessionResult,
  IntegratedWindowsAuthRequest,
  InteractiveRequest,
  PublicClientConfiguration,
  SignOutOptions,
  SignOutResult,
  SilentRequest,
  UsernamePasswordRequest,
} from './types.js';

export const DEFAULT_END_SESSION_TIMEOUT_MS = 2 * 60_000;

/** RP-Initiated Logout 1.0 §2 parameters on the IdP's end_session_endpoint (pure, unit-tested). */
export function endSessionUrl(
  endpoint: string,
  p: { clientId: string; idTokenHint?: string | undefined; account: Pick<AccountInfo, 'username' | 'idTokenClaims'>; protocolMode: 'entra' | 'oidc' } & SignOutOptions,
): string {
  const url = new URL(endpoint);
  url.searchParams.set('client_id', p.clientId);
  if (p.idTokenHint) url.searchParams.set('id_token_hint', p.idTokenHint);
  // Entra's logout_hint (the login_hint claim; else the username) skips its account picker.
  const hint = p.account.idTokenClaims?.login_hint ?? (p.protocolMode === 'entra' ? p.account.username : undefined);
  if (hint) url.searchParams.set('logout_hint', hint);
  if (p.postLogoutRedirectUri) {
    url.searchParams.set('post_logout_redirect_uri', p.postLogoutRedirectUri);
    if (p.state) url.searchParams.set('state', p.state);
  }
  return url.href;
}

/** Set by PublicClientApplication's static block: the one way in to an instance's private context. */
let readContext: (app: PublicClientApplication) => EngineContext;

/**
 * Test seam, NOT public API (electron/core/index.ts does not export it): the engine context behind a
 * client, for tests that drive one flow function directly (IWA with a scripted Negotiate token).
 */
export function engineContextOf(app: PublicClientApplication): EngineContext {
  return readContext(app);
}

export class PublicClientApplication {
  // Private: callers get the documented API only; the flows receive it as an argument.
  readonly #context: EngineContext;
  private readonly allowUsernamePassword: boolean;

  static {
    readContext = (app) => app.#context;
  }

  private constructor(config: PublicClientConfiguration) {
    this.#context = createEngineContext(config);
    this.allowUsernamePassword = config.auth.allowUsernamePassword === true;
  }

  /** Discovery is loaded lazily, on the first call that needs it, and cached. */
  static async create(config: PublicClientConfiguration): Promise<PublicClientApplication> {
    return new PublicClientApplication(config);
  }

  acquireTokenSilent(request: SilentRequest): Promise<AuthenticationResult> {
    return tracked(this.#context, acquireTokenSilent(this.#context, request));
  }
  acquireTokenInteractive(request: InteractiveRequest): Promise<AuthenticationResult> {
    return tracked(this.#context, acquireTokenInteractive(this.#context, request));
  }
  acquireTokenByDeviceCode(request: DeviceCodeRequest): Promise<AuthenticationResult> {
    return tracked(this.#context, acquireTokenByDeviceCode(this.#context, request));
  }
  acquireTokenByUsernamePassword(request: UsernamePasswordRequest): Promise<AuthenticationResult> {
    return tracked(this.#context, acquireTokenByUsernamePassword(this.#context, this.allowUsernamePassword, request));
  }
  /** Kerberos (SPNEGO) with no UI; every failure is an InteractionRequiredAuthError within 5 s. */
  acquireTokenByIntegratedWindowsAuth(request: IntegratedWindowsAuthRequest): Promise<AuthenticationResult> {
    return tracked(this.#context, acquireTokenByIntegratedWindowsAuth(this.#context, request));
  }

  /** One AccountInfo per tenant profile (a B2B guest's profile has the guest tenant as tenantId), as msal-node. */
  async getAllAccounts(): Promise<AccountInfo[]> {
    const { cache, clientId, authority } = this.#context;
    return cache.read(() =>
      cache
        .accounts()
        .filter((a) => a.environment === authority.environment)
        .flatMap((a) => accountInfosFrom(a, cache.idTokensOf(a.home_account_id), clientId)),
    );
  }

  /**
   * The account's profile in `tenantId`; without one, the first profile this app holds an ID token for
   * (the tenant it signed in to), else the first.
   */
  async getAccount(homeAccountId: string, tenantId?: string): Promise<AccountInfo | null> {
    const profiles = (await this.getAllAccounts()).filter((a) => a.homeAccountId === homeAccountId);
    if (tenantId !== undefined) return profiles.find((a) => a.tenantId === tenantId) ?? null;
    return profiles.find((a) => a.idTokenClaims) ?? profiles[0] ?? null;
  }

  /** Removes every cache entry of the account (all tenants), persisted like any other change. */
  async removeAccount(account: Pick<AccountInfo, 'homeAccountId'>): Promise<void> {
    const { cache } = this.#context;
    await cache.write(() => cache.removeAccount(account.homeAccountId));
  }

  /**
   * removeAccount, plus the IdP's end-session URL for the shell to end the browser session too. The
   * account's ID token is read before the removal: `id_token_hint` is what makes real IdPs act on the
   * request (RP-Initiated Logout marks it RECOMMENDED; without it many show a page and do nothing).
   */
  async signOut(account: AccountInfo, options: SignOutOptions = {}): Promise<SignOutResult> {
    const { cache, clientId, authority } = this.#context;
    const idTokenHint = await cache.read(() => {
      const env = authority.environment;
      const own = cache.findIdToken(account.homeAccountId, env, clientId, account.tenantId);
      return (own ?? cache.idTokensOf(account.homeAccountId).find((t) => t.client_id === clientId && t.environment.toLowerCase() === env.toLowerCase()))?.secret;
    });
    await this.removeAccount(account);
    let endSession: string | undefined;
    try {
      endSession = (await authority.metadata()).end_session_endpoint;
    } catch {
      endSession = undefined; // offline: the local sign-out still happened
    }
    if (!endSession) return {};
    return { endSessionUrl: endSessionUrl(endSession, { clientId, idTokenHint, account, protocolMode: authority.protocolMode, ...options }) };
  }

  /**
   * signOut, then the end-session URL in `openBrowser` with a loopback `post_logout_redirect_uri`
   * (127.0.0.1, any port: registered like the sign-in redirect) and a fresh `state`, resolving once the
   * IdP redirects back with that state. The local sign-out has happened before the browser opens, so
   * a timeout (TimeoutError, default 2 minutes), an abort or a closed window (UserCancelError) only
   * means the IdP session may still be alive. An IdP without end_session_endpoint: `{ redirected: false }`.
   */
  async endSession(request: EndSessionRequest): Promise<EndSessionResult> {
    if (typeof request.openBrowser !== 'function') throw new ClientAuthError(ClientAuthErrorCode.invalidArgument, 'openBrowser is required');
    if (request.signal?.aborted) throw new UserCancelError('The sign-out was cancelled before it started');
    const state = oauth.generateRandomState();
    const loopback = await startLoopback({
      timeoutMs: request.timeoutMs ?? DEFAULT_END_SESSION_TIMEOUT_MS,
      signal: request.signal,
      expectedState: state,
      expect: 'logout',
    });
    try {
      const { endSessionUrl } = await this.signOut(request.account, { postLogoutRedirectUri: loopback.redirectUri, state });
      if (!endSessionUrl) return { redirected: false };
      Promise.resolve()
        .then(() => request.openBrowser(endSessionUrl))
        .catch((err: unknown) => loopback.fail(new ClientAuthError('browser_open_failed', 'The browser could not be opened', { cause: err })));
      await loopback.result;
      return { endSessionUrl, redirected: true };
    } finally {
      await loopback.close();
    }
  }

  /**
   * The account's cached tokens for this app as metadata (scopes, realm, times; whether a refresh token
   * exists and for which client / family), for a token table. Read-only, and by construction without
   * any secret: only named fields are copied, never an entity.
   */
  async getCachedTokens(account: Pick<AccountInfo, 'homeAccountId'>): Promise<CachedTokensInfo> {
    const { cache, clientId, authority } = this.#context;
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
    return this.#context.cache;
  }

  /**
   * Before the process ends: waits up to `timeoutMs` for running and background refreshes and the
   * cache writes they make, so a rotated refresh token is never lost. True when all settled in time.
   */
  drain(timeoutMs = 5_000): Promise<boolean> {
    return drainEngine(this.#context, timeoutMs);
  }
}
