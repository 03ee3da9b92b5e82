// The handlers behind the IPC contract (DESIGN.md "app controller"): sign-in through the fallback chain,
// silent-first tokens, accounts, and the events the renderer shows. Plain Node with no electron import,
// so the browser end-to-end tests run these very handlers with Playwright-backed shell ports.
import { AuthError, ClientAuthError, InteractionRequiredAuthError, NetworkError, UserCancelError } from '../core/index.js';
import type { AccountInfo, AuthenticationResult, Logger, PersistenceState, PersistenceWarning, PublicClientApplication } from '../core/index.js';
import type { AppController, AppEvent, LoginWindowHandle, PinnedCertificate, ShellPorts } from './ports.js';
import { describeBlockedNavigation, isExternalBrowserUrl } from './navigation.js';
import type { RequestOf, ResponseOf } from '../../shared/ipc-contract.js';
import type { ActivityEntry, AppState, DeviceCodeView, ErrorView, SignInProgress, TokenTableView, TokenView } from '../../shared/views.js';
import { deviceCodeViewSchema } from '../../shared/views.js';
import type { AppConfig } from './config.js';
import { chooseFlows, deviceCodeFlow, iwaFlow, shouldFallBack, windowFlow, type IwaEngine, type SignInFlow } from './sign-in-flows.js';
import { callSampleApi } from './sample-api-client.js';
import { claimsChallengeOf } from './www-authenticate.js';
import { AppError, errorToView, toAccountView, toTokenView } from './views.js';
import { scopeKey, toTokenTableView, type Acquisition } from './token-table.js';

/** The engine as the controller uses it: PublicClientApplication, plus IWA where the engine has it. */
export type Engine = Pick<
  PublicClientApplication,
  'acquireTokenSilent' | 'acquireTokenInteractive' | 'acquireTokenByDeviceCode' | 'getAllAccounts' | 'getAccount' | 'removeAccount' | 'signOut' | 'endSession' | 'drain'
> &
  Partial<Pick<PublicClientApplication, 'getCachedTokens'>> &
  IwaEngine;

export interface ActiveAccountStore {
  load(): Promise<string | null>;
  save(homeAccountId: string | null): Promise<void>;
}

export interface ControllerOptions {
  config: AppConfig;
  engine: Engine;
  ports: ShellPorts;
  activeAccount: ActiveAccountStore;
  /** The authority in use (after the local IdP started, its URL), and the origins its pages live on. */
  authority: { url: string; origins: string[]; usesLocalIdp: boolean };
  pinnedCertificates?: PinnedCertificate[];
  persistence?: { readonly state: PersistenceState; readonly warnings: readonly PersistenceWarning[] };
  /** Whether the shell can show a login window (false on a headless host). */
  canOpenWindow?: boolean;
  sampleApiUrl?: string;
  now?: () => number;
  logger?: Logger;
  /** Called once from dispose(): stop the local IdP and whatever else the factory started. */
  onDispose?: () => Promise<void>;
}

/** How long "Also sign out of <IdP>" waits for the IdP's redirect (it may ask the user to confirm). */
export const END_SESSION_TIMEOUT_MS = 2 * 60_000;

/** How long quitting waits for running refreshes and cache writes (DESIGN: never lose a refresh token). */
export const DISPOSE_DRAIN_MS = 5_000;

export class DesktopAppController implements AppController {
  readonly #o: ControllerOptions;
  readonly #now: () => number;
  readonly #listeners = new Set<(event: AppEvent) => void>();
  #activeAccountId: string | null = null;
  #signIn: SignInProgress = { inProgress: false };
  #signInAbort: AbortController | null = null;
  #deviceCode: DeviceCodeView | null = null;
  #activityIds = 0;
  /** Starts as configured; the sign-in menu can switch it for this run (setIwaEnabled). */
  #iwaEnabled: boolean;
  /** Per account, per granted-scope set: how this run last obtained the token (for the token table). */
  readonly #acquisitions = new Map<string, Map<string, Acquisition>>();
  /** Per account: when this run last received tokens from the IdP (and so, possibly, a new refresh token). */
  readonly #refreshTokenIssued = new Map<string, number>();
  /** Every sign-in flow, in the order `auto` tries them (IWA first: it shows no UI). */
  readonly #flows: readonly SignInFlow[];

  private constructor(options: ControllerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#iwaEnabled = options.config.iwa.enabled;
    this.#flows = [
      iwaFlow(options.engine),
      windowFlow((request, signal) => this.#addAccountInteractively(request.scopes, signal)),
      deviceCodeFlow(options.engine, (info) =>
        this.#setDeviceCode({
          userCode: info.userCode,
          verificationUri: info.verificationUri,
          ...(info.verificationUriComplete ? { verificationUriComplete: info.verificationUriComplete } : {}),
          expiresOn: this.#now() + info.expiresIn * 1000,
          message: info.message,
        }),
      ),
    ];
  }

  static async create(options: ControllerOptions): Promise<DesktopAppController> {
    const controller = new DesktopAppController(options);
    const remembered = await options.activeAccount.load();
    const accounts = await options.engine.getAllAccounts();
    controller.#activeAccountId = accounts.some((a) => a.homeAccountId === remembered) ? remembered : (accounts[0]?.homeAccountId ?? null);
    return controller;
  }

  // ---- events -------------------------------------------------------------------------------------

  subscribe(listener: (event: AppEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: AppEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  async #emitState(): Promise<AppState> {
    const state = await this.getState();
    this.#emit({ name: 'stateChanged', payload: state });
    return state;
  }

  #activity(entry: Omit<ActivityEntry, 'id' | 'at'>): void {
    this.#emit({ name: 'activity', payload: { id: String(++this.#activityIds), at: this.#now(), ...entry } });
  }

  #setProgress(progress: SignInProgress): void {
    this.#signIn = progress;
    this.#emit({ name: 'signInProgress', payload: progress });
  }

  #setDeviceCode(view: DeviceCodeView | null): void {
    // Kept only if it passes the contract: getState carries it, so one that does not fit would fail
    // every getState while its event is dropped. Thrown from the engine's callback, this ends the
    // flow before it polls.
    if (view !== null && !deviceCodeViewSchema.safeParse(view).success) {
      throw new AppError('client', 'invalid_device_code_response', 'The device code sign-in cannot be shown');
    }
    this.#deviceCode = view;
    this.#emit({ name: 'deviceCode', payload: view });
  }

  // ---- handlers -----------------------------------------------------------------------------------

  async getState(): Promise<AppState> {
    const { config, authority, persistence } = this.#o;
    const accounts = await this.#o.engine.getAllAccounts();
    return {
      accounts: accounts.map((a) => toAccountView(a, config.tenantNames)),
      activeAccountId: this.#activeAccountId,
      persistence: {
        state: persistence?.state ?? 'memory-only',
        warnings: (persistence?.warnings ?? []).map((w) => ({ code: w.code, message: w.message, at: w.at.getTime() })),
      },
      config: {
        authority: authority.url,
        clientId: config.clientId,
        protocolMode: config.protocolMode,
        signInScopes: config.signInScopes,
        apis: config.apis,
        iwaEnabled: this.#iwaEnabled,
        deviceCodeEnabled: config.deviceCode.enabled,
        usesLocalIdp: authority.usesLocalIdp,
        ...(this.#o.sampleApiUrl ? { sampleApiUrl: this.#o.sampleApiUrl } : {}),
      },
      signIn: this.#signIn,
      deviceCode: this.#deviceCode,
    };
  }

  async signIn(request: RequestOf<'signIn'>): Promise<ResponseOf<'signIn'>> {
    if (this.#signInAbort) throw new AppError('invalid_request', 'sign_in_in_progress', 'A sign-in is already in progress');
    const scopes = request?.scopes?.length ? request.scopes : this.#o.config.signInScopes;
    const chain = chooseFlows(
      this.#flows,
      { iwaEnabled: this.#iwaEnabled, deviceCodeEnabled: this.#o.config.deviceCode.enabled, canOpenWindow: this.#o.canOpenWindow ?? true },
      request?.flow ?? 'auto',
    );
    if (chain.length === 0) throw new AppError('invalid_request', 'flow_disabled', 'That sign-in method is turned off in the configuration');

    const abort = new AbortController();
    this.#signInAbort = abort;
    const startedAt = this.#now();
    if (this.#deviceCode) this.#setDeviceCode(null); // an expired code's panel gives way to the new sign-in
    let expiredCode: DeviceCodeView | null = null;
    try {
      for (const [index, flow] of chain.entries()) {
        this.#setProgress({ inProgress: true, flow: flow.id, stage: flow.stage, startedAt });
        const flowStart = this.#now();
        try {
          const result = await flow.run({ scopes }, abort.signal);
          const account = result.account!;
          await this.#setActive(account.homeAccountId);
          this.#record(account.homeAccountId, result, scopes);
          this.#activity({ message: `Signed in ${account.username}`, outcome: 'success', flow: flow.id, durationMs: this.#now() - flowStart });
          await this.#emitState();
          await this.#emitTokens(account.homeAccountId);
          return { account: toAccountView(account, this.#o.config.tenantNames), token: toTokenView(result, scopes, this.#now()) };
        } catch (error) {
          const view = errorToView(error);
          const cancelled = error instanceof UserCancelError;
          // The panel stays and says the code expired (with "Get a new code") instead of vanishing.
          if (flow.id === 'device-code' && view.code === 'expired_token' && this.#deviceCode) expiredCode = { ...this.#deviceCode, expired: true };
          const next = chain[index + 1];
          const fallingBack = next !== undefined && !abort.signal.aborted && shouldFallBack(flow.id, error as { name?: string; code?: string });
          this.#activity({
            message: cancelled ? 'Sign-in cancelled' : fallingBack ? `${flow.label} did not work; trying ${next.label}` : `Sign-in failed: ${view.message}`,
            outcome: cancelled ? 'cancelled' : 'failure',
            flow: flow.id,
            durationMs: this.#now() - flowStart,
            errorCode: view.code,
          });
          if (!fallingBack) throw error;
        }
      }
      throw new AppError('internal', 'no_flow_succeeded', 'No sign-in method succeeded');
    } finally {
      this.#signInAbort = null;
      if (this.#deviceCode) this.#setDeviceCode(expiredCode);
      this.#setProgress({ inProgress: false });
    }
  }

  async cancelSignIn(): Promise<ResponseOf<'cancelSignIn'>> {
    const abort = this.#signInAbort;
    if (!abort) {
      // Nothing running, but an expired device code still on screen: closing it is this cancel.
      if (!this.#deviceCode) return { cancelled: false };
      this.#setDeviceCode(null);
      return { cancelled: true };
    }
    abort.abort(new UserCancelError('The user cancelled the sign-in'));
    return { cancelled: true };
  }

  async getToken(request: RequestOf<'getToken'>): Promise<TokenView> {
    const result = await this.#acquire(request.homeAccountId, request.scopes, {
      forceRefresh: request.forceRefresh ?? false,
      allowInteraction: request.allowInteraction ?? false,
    });
    return toTokenView(result, request.scopes, this.#now());
  }

  async listTokens(request: RequestOf<'listTokens'>): Promise<TokenTableView> {
    const account = await this.#requireAccount(request.homeAccountId);
    const { config, sampleApiUrl } = this.#o;
    const info = (await this.#o.engine.getCachedTokens?.(account)) ?? { accessTokens: [], refreshToken: { present: false } };
    const issuedOn = this.#refreshTokenIssued.get(account.homeAccountId);
    return toTokenTableView(info, {
      homeAccountId: account.homeAccountId,
      apis: config.apis,
      ...(sampleApiUrl ? { callableApiId: 'sample-api' } : {}),
      acquisitions: this.#acquisitions.get(account.homeAccountId) ?? new Map(),
      ...(issuedOn !== undefined ? { refreshTokenIssuedOn: issuedOn } : {}),
    });
  }

  async switchAccount(request: RequestOf<'switchAccount'>): Promise<AppState> {
    await this.#requireAccount(request.homeAccountId);
    await this.#setActive(request.homeAccountId);
    this.#activity({ message: 'Switched account', outcome: 'info' });
    return this.#emitState();
  }

  async removeAccount(request: RequestOf<'removeAccount'>): Promise<AppState> {
    const account = await this.#requireAccount(request.homeAccountId);
    await this.#remove(account, request.endIdpSession ?? false);
    this.#activity({ message: `Removed ${account.username}`, outcome: 'info' });
    return this.#emitState();
  }

  async signOutAll(): Promise<AppState> {
    for (const account of await this.#o.engine.getAllAccounts()) await this.#remove(account, false);
    this.#activity({ message: 'Signed out of all accounts', outcome: 'info' });
    return this.#emitState();
  }

  async setIwaEnabled(request: RequestOf<'setIwaEnabled'>): Promise<AppState> {
    this.#iwaEnabled = request.enabled;
    this.#activity({ message: `Windows / Kerberos sign-in turned ${request.enabled ? 'on' : 'off'}`, outcome: 'info' });
    return this.#emitState();
  }

  async copyAccessToken(request: RequestOf<'copyAccessToken'>): Promise<ResponseOf<'copyAccessToken'>> {
    const result = await this.#acquire(request.homeAccountId, request.scopes, { forceRefresh: false, allowInteraction: false });
    await this.#o.ports.writeClipboard(result.accessToken);
    this.#activity({ message: 'Access token copied to the clipboard (cleared after a minute)', outcome: 'info' });
    return { copied: true };
  }

  /**
   * Silent token for the sample API (consent first if needed), then GET /me or /obo; the token stays here.
   * A claims challenge (401 insufficient_claims: the user's sessions were revoked, or an authentication
   * context is needed) gets a new token with those claims — past the cache, a refresh with claims, the
   * login window when the IdP needs the user — and the call is retried once; a second challenge ends it.
   */
  async callSampleApi(request: RequestOf<'callSampleApi'>): Promise<ResponseOf<'callSampleApi'>> {
    const baseUrl = this.#o.sampleApiUrl;
    if (!baseUrl) throw new AppError('not_implemented', 'not_implemented', 'No sample API is configured');
    const scopes = this.#o.config.apis.find((api) => api.id === 'sample-api')?.scopes ?? ['api://sample-api/access_as_user'];
    const token = await this.#acquire(request.homeAccountId, scopes, { forceRefresh: false, allowInteraction: true });
    const started = this.#now();
    let answer = await callSampleApi({ baseUrl, accessToken: token.accessToken, endpoint: request.endpoint, fetch });
    const challenge = answer.status === 401 ? claimsChallengeOf(answer.wwwAuthenticate) : undefined;
    if (challenge) {
      const fresh = await this.#acquire(request.homeAccountId, scopes, { forceRefresh: false, allowInteraction: true, claims: challenge.claims });
      answer = await callSampleApi({ baseUrl, accessToken: fresh.accessToken, endpoint: request.endpoint, fetch });
      if (answer.status === 401 && claimsChallengeOf(answer.wwwAuthenticate)) {
        this.#activity({ message: 'The sample API refused the new token too (a second claims challenge)', outcome: 'failure', errorCode: 'claims_challenge_repeated', durationMs: this.#now() - started });
        throw new AppError('server', 'claims_challenge_repeated', 'The sample API asked for a fresh sign-in again right after one: try again later or contact the API owner');
      }
      this.#activity({ message: 'The sample API asked for a fresh sign-in (claims challenge); got a new token', outcome: 'success', flow: fresh.source === 'refresh' ? 'refresh' : 'window', durationMs: this.#now() - started });
    }
    this.#activity({
      message: `Sample API /${request.endpoint} answered ${answer.status}`,
      outcome: answer.status < 400 ? 'success' : 'failure',
      durationMs: this.#now() - started,
    });
    return { status: answer.status, url: answer.url, body: answer.body as ResponseOf<'callSampleApi'>['body'] };
  }

  /**
   * The device code panel's link: the current code's verification_uri, exactly as the IdP sent it (the
   * renderer cannot name another URL), in the system browser; https only, or http on loopback.
   */
  async openVerificationUri(): Promise<ResponseOf<'openVerificationUri'>> {
    const code = this.#deviceCode;
    if (!code || code.expired) throw new AppError('invalid_request', 'no_device_code', 'No device code sign-in is in progress');
    if (!isExternalBrowserUrl(code.verificationUri)) {
      throw new AppError('client', 'invalid_device_code_response', 'The device code sign-in page is not a secure web address');
    }
    await this.#o.ports.openExternal(code.verificationUri); // eng-disable OPEN_EXTERNAL_JS_CHECK (https / loopback only)
    return { opened: true };
  }

  describeError(error: unknown): ErrorView {
    return errorToView(error);
  }

  externalOrigins(): readonly string[] {
    return this.#o.authority.origins;
  }

  pinnedCertificates(): readonly PinnedCertificate[] {
    return this.#o.pinnedCertificates ?? [];
  }

  async dispose(): Promise<void> {
    this.#signInAbort?.abort(new UserCancelError('The app is closing'));
    this.#listeners.clear();
    // Before the local IdP stops and the process ends: a refresh still running holds the only copy of
    // the rotated refresh token, so let it land in the cache (bounded: quitting never hangs on it).
    const drained = await this.#o.engine.drain(DISPOSE_DRAIN_MS);
    if (!drained) this.#o.logger?.log('warn', 'Quitting with a token refresh still running', {});
    await this.#o.onDispose?.();
  }

  // ---- internals ----------------------------------------------------------------------------------

  async #requireAccount(homeAccountId: string): Promise<AccountInfo> {
    const account = await this.#o.engine.getAccount(homeAccountId);
    if (!account) throw new AppError('invalid_request', 'no_account', 'That account is not signed in');
    return account;
  }

  async #setActive(homeAccountId: string | null): Promise<void> {
    this.#activeAccountId = homeAccountId;
    await this.#o.activeAccount.save(homeAccountId);
  }

  async #remove(account: AccountInfo, endIdpSession: boolean): Promise<void> {
    if (endIdpSession) await this.#endIdpSession(account);
    else await this.#o.engine.signOut(account);
    this.#acquisitions.delete(account.homeAccountId);
    this.#refreshTokenIssued.delete(account.homeAccountId);
    // After the end-session page (it needs the IdP's cookie to find the session), and always: removing
    // an account does not remove the browser's session cookie; this does, for the authority's origins.
    await this.#o.ports.clearLoginSession(this.#o.authority.origins);
    if (this.#activeAccountId === account.homeAccountId) {
      const [next] = await this.#o.engine.getAllAccounts();
      await this.#setActive(next?.homeAccountId ?? null);
    }
  }

  /**
   * The IdP's end-session page in the login window: its partition holds the IdP's session cookie (the
   * system browser's does not). The engine removes the account first, then waits (bounded) for the
   * IdP's redirect to its loopback listener, which the window's navigation policy admits exactly. The
   * user closing the window, or the time running out, still leaves the account removed here and the
   * partition cleared by #remove: only the IdP's server-side session may outlive it.
   */
  async #endIdpSession(account: AccountInfo): Promise<void> {
    const abort = new AbortController();
    let window: LoginWindowHandle | undefined;
    const host = new URL(this.#o.authority.url).host;
    try {
      await this.#o.engine.endSession({
        account,
        signal: abort.signal,
        timeoutMs: END_SESSION_TIMEOUT_MS,
        openBrowser: (url) => {
          window = this.#o.ports.openLoginWindow({
            url,
            authorityOrigins: this.#o.authority.origins,
            redirectUri: new URL(url).searchParams.get('post_logout_redirect_uri') ?? '',
            onClosedByUser: () => abort.abort(new UserCancelError('The sign-out window was closed')),
            onLoadFailed: (reason) => abort.abort(new NetworkError('window_load_failed', `The sign-out page could not be loaded (${reason.errorDescription})`)),
            onNavigationBlocked: (blocked) => abort.abort(new ClientAuthError('navigation_blocked', `Blocked: ${describeBlockedNavigation(blocked)}`)),
          });
        },
      });
      this.#activity({ message: `Signed out of ${host}`, outcome: 'success' });
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // The engine reports an abort as a cancel; the abort's reason says what really ended it.
      const reason: unknown = abort.signal.reason;
      const code = reason instanceof AuthError ? reason.code : error.code;
      this.#activity({ message: `The sign-out at ${host} did not finish; its cookies in the sign-in window are cleared`, outcome: 'info', errorCode: code });
    } finally {
      window?.close();
    }
  }

  /** Silent first; with allowInteraction, a login window for consent or MFA when silent cannot do it. */
  async #acquire(
    homeAccountId: string,
    scopes: string[],
    options: { forceRefresh: boolean; allowInteraction: boolean; claims?: string },
  ): Promise<AuthenticationResult> {
    const account = await this.#requireAccount(homeAccountId);
    const started = this.#now();
    const claims = options.claims ? { claims: options.claims } : {};
    try {
      const result = await this.#o.engine.acquireTokenSilent({ account, scopes, forceRefresh: options.forceRefresh, ...claims });
      this.#record(homeAccountId, result, scopes);
      await this.#emitTokens(homeAccountId);
      this.#activity({
        message: result.fromCache ? `Token for ${scopes.join(' ')} from the cache` : `Token for ${scopes.join(' ')} refreshed silently`,
        outcome: 'success',
        flow: result.fromCache ? 'silent' : 'refresh',
        durationMs: this.#now() - started,
      });
      return result;
    } catch (error) {
      if (!(error instanceof InteractionRequiredAuthError) || !options.allowInteraction) {
        this.#activity({ message: `Token for ${scopes.join(' ')} failed`, outcome: 'failure', flow: 'silent', errorCode: errorToView(error).code, durationMs: this.#now() - started });
        throw error;
      }
      this.#activity({ message: `Token for ${scopes.join(' ')} needs you to sign in (${error.code})`, outcome: 'info', flow: 'silent' });
      if (this.#signInAbort) throw new AppError('invalid_request', 'sign_in_in_progress', 'A sign-in is already in progress');
      const abort = new AbortController();
      this.#signInAbort = abort;
      try {
        this.#setProgress({ inProgress: true, flow: 'window', stage: 'Waiting for consent in the sign-in window…', startedAt: started });
        const result = await this.#interactive(scopes, abort.signal, { loginHint: account.username, ...claims });
        this.#record(homeAccountId, result, scopes);
        await this.#emitTokens(homeAccountId);
        const how = options.claims ? 'after signing in again' : 'after consent';
        this.#activity({ message: `Token for ${scopes.join(' ')} ${how}`, outcome: 'success', flow: 'window', durationMs: this.#now() - started });
        return result;
      } finally {
        this.#signInAbort = null;
        this.#setProgress({ inProgress: false });
      }
    }
  }

  /** Remember how a token was obtained: a later cache hit keeps the source that put it there. */
  #record(homeAccountId: string, result: AuthenticationResult, requestedScopes: string[]): void {
    let byScopes = this.#acquisitions.get(homeAccountId);
    if (!byScopes) this.#acquisitions.set(homeAccountId, (byScopes = new Map()));
    const key = scopeKey(result.scopes);
    if (!result.fromCache) this.#refreshTokenIssued.set(homeAccountId, this.#now());
    if (result.fromCache && byScopes.has(key)) return;
    // A first cache hit says what was asked for, not how the token was obtained (before this run).
    byScopes.set(key, result.fromCache ? { requestedScopes: [...requestedScopes] } : { requestedScopes: [...requestedScopes], source: result.source });
  }

  /** The account's token table to the renderer; a failure to read it never fails the action that changed it. */
  async #emitTokens(homeAccountId: string): Promise<void> {
    try {
      this.#emit({ name: 'tokensChanged', payload: await this.listTokens({ homeAccountId }) });
    } catch (error) {
      this.#o.logger?.log('warn', 'The token table could not be read', { code: errorToView(error).code });
    }
  }

  /**
   * Adding an account while another is signed in asks for credentials (prompt=login): otherwise the
   * login window's session cookie would sign the same person in again.
   */
  async #addAccountInteractively(scopes: string[], signal: AbortSignal): Promise<AuthenticationResult> {
    const hasAccounts = (await this.#o.engine.getAllAccounts()).length > 0;
    return this.#interactive(scopes, signal, hasAccounts ? { prompt: 'login' } : {});
  }

  /** The login window as the engine's openBrowser port; closing it cancels within the same tick. */
  async #interactive(scopes: string[], signal: AbortSignal, hints: { loginHint?: string; prompt?: 'login'; claims?: string } = {}): Promise<AuthenticationResult> {
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let window: LoginWindowHandle | undefined;
    try {
      return await this.#o.engine.acquireTokenInteractive({
        scopes,
        signal: local.signal,
        ...hints,
        ...(this.#o.config.loopbackPort ? { preferredPort: this.#o.config.loopbackPort, strictPort: this.#o.config.loopbackPortStrict } : {}),
        openBrowser: (url) => {
          window = this.#o.ports.openLoginWindow({
            url,
            authorityOrigins: this.#o.authority.origins,
            // Exactly the listener's redirect (port and path included); none at all if it is missing.
            redirectUri: new URL(url).searchParams.get('redirect_uri') ?? '',
            onClosedByUser: () => local.abort(new UserCancelError('The sign-in window was closed')),
            onLoadFailed: (reason) =>
              local.abort(new NetworkError('window_load_failed', `The sign-in page could not be loaded (${reason.errorDescription})`)),
            // Not a network failure: no fallback to device code (shouldFallBack), the user reads why.
            onNavigationBlocked: (blocked) =>
              local.abort(new ClientAuthError('navigation_blocked', `Blocked: ${describeBlockedNavigation(blocked)}`)),
          });
        },
      });
    } catch (error) {
      // The engine reports any abort as a cancel; the reason says whether it was a load failure or a
      // blocked navigation (both set above) rather than the user's cancel.
      const reason: unknown = local.signal.aborted ? local.signal.reason : undefined;
      if (reason instanceof NetworkError || reason instanceof ClientAuthError) throw reason;
      throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      window?.close();
    }
  }
}
