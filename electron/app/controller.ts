// The handlers behind the IPC contract (DESIGN.md "app controller"): sign-in through the fallback chain,
// silent-first tokens, accounts, and the events the renderer shows. Plain Node with no electron import,
// so the browser end-to-end tests run these very handlers with Playwright-backed shell ports.
import { InteractionRequiredAuthError, NetworkError, UserCancelError } from '../core/index.js';
import type { AccountInfo, AuthenticationResult, Logger, PersistenceState, PersistenceWarning, PublicClientApplication } from '../core/index.js';
import type { AppController, AppEvent, LoginWindowHandle, ShellPorts } from '../main/controller-port.js';
import type { PinnedCertificate } from '../main/certificate-policy.js';
import type { RequestOf, ResponseOf } from '../../shared/ipc-contract.js';
import type { ActivityEntry, AppState, DeviceCodeView, ErrorView, SignInProgress, TokenTableView, TokenView } from '../../shared/views.js';
import { deviceCodeViewSchema } from '../../shared/views.js';
import type { AppConfig } from './config.js';
import { chooseFlows, shouldFallBack, type FlowId } from './sign-in-flows.js';
import { callSampleApi } from './sample-api-client.js';
import { AppError, errorToView, toAccountView, toTokenView } from './views.js';
import { scopeKey, toTokenTableView, type Acquisition } from './token-table.js';

/** The engine as the controller uses it: PublicClientApplication, plus IWA where the engine has it. */
export type Engine = Pick<
  PublicClientApplication,
  'acquireTokenSilent' | 'acquireTokenInteractive' | 'acquireTokenByDeviceCode' | 'getAllAccounts' | 'getAccount' | 'removeAccount' | 'signOut' | 'drain'
> &
  Partial<Pick<PublicClientApplication, 'getCachedTokens'>> & {
  acquireTokenByIntegratedWindowsAuth?: (request: { scopes: string[]; username?: string; signal?: AbortSignal }) => Promise<AuthenticationResult>;
};

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

/** How long quitting waits for running refreshes and cache writes (DESIGN: never lose a refresh token). */
export const DISPOSE_DRAIN_MS = 5_000;

const FLOW_STAGE: Record<FlowId, string> = {
  iwa: 'Signing in with your Windows / Kerberos session…',
  window: 'Waiting for the sign-in window…',
  'device-code': 'Waiting for you to enter the code on another device…',
};

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

  private constructor(options: ControllerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#iwaEnabled = options.config.iwa.enabled;
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
    if (view !== null && !deviceCodeViewSchema.parse(view).ok) {
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
      { iwaEnabled: this.#iwaEnabled, deviceCodeEnabled: this.#o.config.deviceCode.enabled },
      { canOpenWindow: this.#o.canOpenWindow ?? true },
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
        this.#setProgress({ inProgress: true, flow, stage: FLOW_STAGE[flow], startedAt });
        const flowStart = this.#now();
        try {
          const result = await this.#runFlow(flow, scopes, abort.signal);
          const account = result.account!;
          await this.#setActive(account.homeAccountId);
          this.#record(account.homeAccountId, result, scopes);
          this.#activity({ message: `Signed in ${account.username}`, outcome: 'success', flow, durationMs: this.#now() - flowStart });
          await this.#emitState();
          await this.#emitTokens(account.homeAccountId);
          return { account: toAccountView(account, this.#o.config.tenantNames), token: toTokenView(result, scopes, this.#now()) };
        } catch (error) {
          const view = errorToView(error);
          const cancelled = error instanceof UserCancelError;
          // The panel stays and says the code expired (with "Get a new code") instead of vanishing.
          if (flow === 'device-code' && view.code === 'expired_token' && this.#deviceCode) expiredCode = { ...this.#deviceCode, expired: true };
          const next = chain[index + 1];
          const fallingBack = next !== undefined && !abort.signal.aborted && shouldFallBack(flow, error as { name?: string; code?: string });
          this.#activity({
            message: cancelled ? 'Sign-in cancelled' : fallingBack ? `${flowLabel(flow)} did not work; trying ${flowLabel(next)}` : `Sign-in failed: ${view.message}`,
            outcome: cancelled ? 'cancelled' : 'failure',
            flow,
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

  /** Silent token for the sample API (consent first if needed), then GET /me or /obo; the token stays here. */
  async callSampleApi(request: RequestOf<'callSampleApi'>): Promise<ResponseOf<'callSampleApi'>> {
    const baseUrl = this.#o.sampleApiUrl;
    if (!baseUrl) throw new AppError('not_implemented', 'not_implemented', 'No sample API is configured');
    const scopes = this.#o.config.apis.find((api) => api.id === 'sample-api')?.scopes ?? ['api://sample-api/access_as_user'];
    const token = await this.#acquire(request.homeAccountId, scopes, { forceRefresh: false, allowInteraction: true });
    const started = this.#now();
    const answer = await callSampleApi({ baseUrl, accessToken: token.accessToken, endpoint: request.endpoint, fetch });
    this.#activity({
      message: `Sample API /${request.endpoint} answered ${answer.status}`,
      outcome: answer.status < 400 ? 'success' : 'failure',
      durationMs: this.#now() - started,
    });
    return { status: answer.status, url: answer.url, body: answer.body as ResponseOf<'callSampleApi'>['body'] };
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
    const { endSessionUrl } = await this.#o.engine.signOut(account);
    this.#acquisitions.delete(account.homeAccountId);
    this.#refreshTokenIssued.delete(account.homeAccountId);
    await this.#o.ports.clearLoginSession(this.#o.authority.origins);
    // The IdP's own end-session endpoint (from discovery); the shell opens http(s) only.
    if (endIdpSession && endSessionUrl) await this.#o.ports.openExternal(endSessionUrl); // eng-disable OPEN_EXTERNAL_JS_CHECK
    if (this.#activeAccountId === account.homeAccountId) {
      const [next] = await this.#o.engine.getAllAccounts();
      await this.#setActive(next?.homeAccountId ?? null);
    }
  }

  /** Silent first; with allowInteraction, a login window for consent or MFA when silent cannot do it. */
  async #acquire(homeAccountId: string, scopes: string[], options: { forceRefresh: boolean; allowInteraction: boolean }): Promise<AuthenticationResult> {
    const account = await this.#requireAccount(homeAccountId);
    const started = this.#now();
    try {
      const result = await this.#o.engine.acquireTokenSilent({ account, scopes, forceRefresh: options.forceRefresh });
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
        const result = await this.#interactive(scopes, abort.signal, { loginHint: account.username });
        this.#record(homeAccountId, result, scopes);
        await this.#emitTokens(homeAccountId);
        this.#activity({ message: `Token for ${scopes.join(' ')} after consent`, outcome: 'success', flow: 'window', durationMs: this.#now() - started });
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

  #runFlow(flow: FlowId, scopes: string[], signal: AbortSignal): Promise<AuthenticationResult> {
    switch (flow) {
      case 'window':
        return this.#addAccountInteractively(scopes, signal);
      case 'device-code':
        return this.#o.engine.acquireTokenByDeviceCode({
          scopes,
          signal,
          deviceCodeCallback: (info) =>
            this.#setDeviceCode({
              userCode: info.userCode,
              verificationUri: info.verificationUri,
              ...(info.verificationUriComplete ? { verificationUriComplete: info.verificationUriComplete } : {}),
              expiresOn: this.#now() + info.expiresIn * 1000,
              message: info.message,
            }),
        });
      case 'iwa': {
        const iwa = this.#o.engine.acquireTokenByIntegratedWindowsAuth;
        if (!iwa) return Promise.reject(new InteractionRequiredAuthError('iwa_unavailable', 'Integrated Windows Authentication is not available'));
        return iwa.call(this.#o.engine, { scopes, signal });
      }
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
  async #interactive(scopes: string[], signal: AbortSignal, hints: { loginHint?: string; prompt?: 'login' } = {}): Promise<AuthenticationResult> {
    const local = new AbortController();
    const forward = () => local.abort(signal.reason);
    signal.addEventListener('abort', forward, { once: true });
    let window: LoginWindowHandle | undefined;
    try {
      return await this.#o.engine.acquireTokenInteractive({
        scopes,
        signal: local.signal,
        ...hints,
        ...(this.#o.config.loopbackPort ? { preferredPort: this.#o.config.loopbackPort } : {}),
        openBrowser: (url) => {
          window = this.#o.ports.openLoginWindow({
            url,
            authorityOrigins: this.#o.authority.origins,
            // Exactly the listener's redirect (port and path included); none at all if it is missing.
            redirectUri: new URL(url).searchParams.get('redirect_uri') ?? '',
            onClosedByUser: () => local.abort(new UserCancelError('The sign-in window was closed')),
            onLoadFailed: (reason) =>
              local.abort(new NetworkError('window_load_failed', `The sign-in page could not be loaded (${reason.errorDescription})`)),
          });
        },
      });
    } catch (error) {
      // The engine reports any abort as a cancel; the reason says whether it was really a load failure.
      if (local.signal.aborted && local.signal.reason instanceof NetworkError) throw local.signal.reason;
      throw error;
    } finally {
      signal.removeEventListener('abort', forward);
      window?.close();
    }
  }
}

function flowLabel(flow: FlowId): string {
  return { iwa: 'Windows / Kerberos sign-in', window: 'The sign-in window', 'device-code': 'Device code sign-in' }[flow];
}
