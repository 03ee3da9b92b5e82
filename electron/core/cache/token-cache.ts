// The in-memory token cache: MSAL unified-schema JSON as the source of truth, plus indexes so a silent
// lookup touches only one account's tokens for one client and realm instead of scanning the cache.
// Every access goes through `read`/`write`, which call the persistence around a synchronous body:
// the persistence is therefore never held across a network call, and accesses never interleave.
import { ScopeSet } from '../scopes.js';
import { CachePersistenceError, ClientAuthError, AuthError } from '../errors.js';
import type { CachePersistence, SerializableTokenCache, TokenCacheContext } from './persistence.js';
import {
  accountKey,
  appMetadataKey,
  credentialKey,
  emptyCacheJson,
  type AccessTokenEntity,
  type AccountEntity,
  type AppMetadataEntity,
  type CacheJson,
  type IdTokenEntity,
  type RefreshTokenEntity,
} from './schema.js';

const SECTIONS = ['Account', 'IdToken', 'AccessToken', 'RefreshToken', 'AppMetadata'] as const;

/** An access token in the index; its ScopeSet is built on first lookup, so loading a big cache stays cheap. */
class IndexedAccessToken {
  #scopes: ScopeSet | undefined;
  constructor(
    readonly key: string,
    readonly entity: AccessTokenEntity,
  ) {}
  get scopes(): ScopeSet {
    return (this.#scopes ??= ScopeSet.from(this.entity.target));
  }
}

const AT_HITS_MAX = 50_000;
const slot = (...parts: string[]) => parts.join('|').toLowerCase();

export interface TokenWrite {
  account?: AccountEntity;
  idToken?: IdTokenEntity;
  accessToken?: AccessTokenEntity;
  refreshToken?: RefreshTokenEntity;
  appMetadata?: AppMetadataEntity;
}

export class TokenCache implements SerializableTokenCache {
  private data: CacheJson = emptyCacheJson();
  /** home|env|client|realm → access tokens with their parsed scopes. */
  private atIndex = new Map<string, Map<string, IndexedAccessToken>>();
  /** slot + requested scopes → the indexed token that last answered them (see findAccessToken). */
  private atHits = new Map<string, IndexedAccessToken>();
  /** home|env|client → refresh token key; home|env|client|realm → id token key. */
  private rtIndex = new Map<string, string>();
  private idtIndex = new Map<string, string>();
  /** home → every key of that account, per section: removal without a scan. */
  /** home account id → section → cache keys: an account's entries without scanning its many tokens. */
  private byHome = new Map<string, Map<(typeof SECTIONS)[number], Set<string>>>();
  private version = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly persistence?: CachePersistence) {}

  // ---- persistence-aware access -------------------------------------------------------------------

  read<T>(body: () => T): Promise<T> {
    return this.access(false, body);
  }
  write<T>(body: () => T): Promise<T> {
    return this.access(true, body);
  }

  /** Settles once every access queued so far (and its persistence write) has finished. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  private access<T>(willWrite: boolean, body: () => T): Promise<T> {
    // One access at a time, so before/after pairs of the persistence never overlap in this process.
    const run = this.queue.then(() => this.runAccess(willWrite, body));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runAccess<T>(willWrite: boolean, body: () => T): Promise<T> {
    const persistence = this.persistence;
    if (!persistence) return body();
    const context: TokenCacheContext = { tokenCache: this, willWrite, cacheHasChanged: false };
    let start = this.version;
    let failure: unknown;
    let result: T | undefined;
    try {
      await this.callPersistence(() => persistence.beforeCacheAccess(context), persistence);
      start = this.version; // a reload in `before` is not a change to write back
      result = body();
    } catch (err) {
      failure = err;
    }
    // Always, as msal-node does: a persistence that took its lock in `before` must get to release it,
    // even when `before` itself or the body failed. The first failure is the one reported.
    context.cacheHasChanged = this.version !== start;
    try {
      await this.callPersistence(() => persistence.afterCacheAccess(context), persistence);
    } catch (err) {
      failure ??= err;
    }
    if (failure !== undefined) throw failure;
    return result as T;
  }

  private async callPersistence(call: () => Promise<void>, persistence: CachePersistence): Promise<void> {
    try {
      await call();
    } catch (err) {
      if (err instanceof AuthError) throw err;
      throw new CachePersistenceError('cache_persistence_failed', 'The token cache could not be read or written', {
        cause: err,
        state: persistence.state,
      });
    }
  }

  // ---- SerializableTokenCache ----------------------------------------------------------------------

  serialize(): string {
    return JSON.stringify(this.data);
  }

  /** Replaces the whole cache (see persistence.ts for why it does not merge). */
  deserialize(json: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (err) {
      throw new ClientAuthError('invalid_cache', 'The token cache is not valid JSON', { cause: err });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ClientAuthError('invalid_cache', 'The token cache is not an MSAL cache object');
    }
    const next = emptyCacheJson();
    for (const section of SECTIONS) {
      const value = (parsed as Record<string, unknown>)[section];
      if (value === undefined) continue;
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        throw new ClientAuthError('invalid_cache', `The token cache section ${section} is malformed`);
      }
      // `parsed` was just made by JSON.parse and nothing else holds it: take its sections as they are.
      (next as unknown as Record<string, unknown>)[section] = value;
    }
    this.data = next;
    this.reindex();
    this.version++;
  }

  private reindex(): void {
    this.atIndex.clear();
    this.atHits.clear();
    this.rtIndex.clear();
    this.idtIndex.clear();
    this.byHome.clear();
    for (const [k, e] of Object.entries(this.data.Account)) this.track(e.home_account_id, 'Account', k);
    for (const [k, e] of Object.entries(this.data.IdToken)) this.indexIdToken(k, e);
    for (const [k, e] of Object.entries(this.data.AccessToken)) this.indexAccessToken(k, e);
    for (const [k, e] of Object.entries(this.data.RefreshToken)) this.indexRefreshToken(k, e);
  }

  private track(home: string, section: (typeof SECTIONS)[number], key: string): void {
    const h = home.toLowerCase();
    let sections = this.byHome.get(h);
    if (!sections) this.byHome.set(h, (sections = new Map()));
    let keys = sections.get(section);
    if (!keys) sections.set(section, (keys = new Set()));
    keys.add(key);
  }

  private untrack(home: string, section: (typeof SECTIONS)[number], key: string): void {
    this.byHome.get(home.toLowerCase())?.get(section)?.delete(key);
  }

  private keysOf(home: string, section: (typeof SECTIONS)[number]): Iterable<string> {
    return this.byHome.get(home.toLowerCase())?.get(section) ?? [];
  }

  private indexAccessToken(key: string, e: AccessTokenEntity): void {
    const s = slot(e.home_account_id, e.environment, e.client_id, e.realm);
    let m = this.atIndex.get(s);
    if (!m) this.atIndex.set(s, (m = new Map()));
    m.set(key, new IndexedAccessToken(key, e));
    this.track(e.home_account_id, 'AccessToken', key);
  }
  private indexRefreshToken(key: string, e: RefreshTokenEntity): void {
    this.rtIndex.set(slot(e.home_account_id, e.environment, e.client_id), key);
    this.track(e.home_account_id, 'RefreshToken', key);
  }
  private indexIdToken(key: string, e: IdTokenEntity): void {
    this.idtIndex.set(slot(e.home_account_id, e.environment, e.client_id, e.realm), key);
    this.track(e.home_account_id, 'IdToken', key);
  }

  // ---- lookups (call inside read/write) ------------------------------------------------------------

  /** The access token of this account, client and realm whose scopes cover `scopes`, if any. */
  findAccessToken(home: string, env: string, clientId: string, realm: string, scopes: ScopeSet): AccessTokenEntity | undefined {
    const s = slot(home, env, clientId, realm);
    const m = this.atIndex.get(s);
    if (!m) return undefined;
    const wanted = scopes.withoutOidc().size > 0 ? scopes.withoutOidc() : scopes;
    // An account may hold many tokens (one per API and scope set): remember which one answered this
    // request, so a repeated silent call does not scan them all. Stale entries fail the identity check.
    const hitKey = `${s}#${wanted.key()}`;
    const remembered = this.atHits.get(hitKey);
    if (remembered && m.get(remembered.key) === remembered) return remembered.entity;
    for (const at of m.values()) {
      if (!at.scopes.containsAll(wanted)) continue;
      if (this.atHits.size >= AT_HITS_MAX) this.atHits.clear();
      this.atHits.set(hitKey, at);
      return at.entity;
    }
    return undefined;
  }
  /**
   * The on-behalf-of access token obtained with this assertion (by its hash) covering `scopes`.
   * Before the request the user is unknown, so this is a scan of the client's access tokens filtered by
   * hash, as msal-node does; a middle-tier cache holds few enough entries for that.
   */
  findAccessTokenByAssertion(assertionHash: string, env: string, clientId: string, realm: string, scopes: ScopeSet): AccessTokenEntity | undefined {
    for (const m of this.atIndex.values()) {
      for (const at of m.values()) {
        const e = at.entity;
        if (e.user_assertion_hash !== assertionHash || e.client_id !== clientId || e.realm !== realm) continue;
        if (e.environment.toLowerCase() === env.toLowerCase() && at.scopes.containsAll(scopes)) return e;
      }
    }
    return undefined;
  }
  findRefreshToken(home: string, env: string, clientId: string): RefreshTokenEntity | undefined {
    const key = this.rtIndex.get(slot(home, env, clientId));
    return key === undefined ? undefined : this.data.RefreshToken[key];
  }
  findIdToken(home: string, env: string, clientId: string, realm: string): IdTokenEntity | undefined {
    const key = this.idtIndex.get(slot(home, env, clientId, realm));
    return key === undefined ? undefined : this.data.IdToken[key];
  }
  /** One account by home id and environment, through the per-account index (no scan). */
  findAccount(home: string, env: string): AccountEntity | undefined {
    for (const key of this.keysOf(home, 'Account')) {
      const e = this.data.Account[key];
      if (e && e.environment.toLowerCase() === env.toLowerCase()) return e;
    }
    return undefined;
  }
  accounts(): AccountEntity[] {
    return Object.values(this.data.Account);
  }
  /** The id tokens of one account (one per realm): tenant profiles are built from them. */
  idTokensOf(home: string): IdTokenEntity[] {
    const out: IdTokenEntity[] = [];
    for (const key of this.keysOf(home, 'IdToken')) {
      const e = this.data.IdToken[key];
      if (e) out.push(e);
    }
    return out;
  }
  /** The access and refresh tokens of one account (all clients and realms), through the per-account index. */
  credentialsOf(home: string): { accessTokens: AccessTokenEntity[]; refreshTokens: RefreshTokenEntity[] } {
    const accessTokens: AccessTokenEntity[] = [];
    const refreshTokens: RefreshTokenEntity[] = [];
    for (const key of this.keysOf(home, 'AccessToken')) {
      const e = this.data.AccessToken[key];
      if (e) accessTokens.push(e);
    }
    for (const key of this.keysOf(home, 'RefreshToken')) {
      const e = this.data.RefreshToken[key];
      if (e) refreshTokens.push(e);
    }
    return { accessTokens, refreshTokens };
  }
  /** Total entries (for tests and the benchmark). */
  counts(): Record<(typeof SECTIONS)[number], number> {
    return Object.fromEntries(SECTIONS.map((s) => [s, Object.keys(this.data[s]).length])) as Record<(typeof SECTIONS)[number], number>;
  }

  // ---- mutations (call inside write) ---------------------------------------------------------------

  /**
   * Stores one token response at once: the new access token replaces those of the same account,
   * client and realm whose scopes intersect it (as MSAL does), and a rotated refresh token replaces the
   * old one in the same step, so no reader ever sees the new access token with the dead refresh token.
   */
  saveTokens(w: TokenWrite): void {
    if (w.account) {
      const key = accountKey(w.account.home_account_id, w.account.environment, w.account.realm);
      this.data.Account[key] = w.account;
      this.track(w.account.home_account_id, 'Account', key);
    }
    if (w.idToken) {
      const key = credentialKey(w.idToken);
      this.data.IdToken[key] = w.idToken;
      this.indexIdToken(key, w.idToken);
    }
    if (w.accessToken) {
      const e = w.accessToken;
      const scopes = ScopeSet.from(e.target).withoutOidc();
      const m = this.atIndex.get(slot(e.home_account_id, e.environment, e.client_id, e.realm));
      for (const old of [...(m?.values() ?? [])]) {
        if (old.scopes.withoutOidc().intersects(scopes)) this.deleteAccessToken(old.key, old.entity);
      }
      const key = credentialKey(e);
      this.data.AccessToken[key] = e;
      this.indexAccessToken(key, e);
    }
    if (w.refreshToken) {
      const e = w.refreshToken;
      const existing = this.findRefreshToken(e.home_account_id, e.environment, e.client_id);
      if (existing) this.deleteRefreshToken(existing);
      const key = credentialKey(e);
      this.data.RefreshToken[key] = e;
      this.indexRefreshToken(key, e);
    }
    if (w.appMetadata) this.data.AppMetadata[appMetadataKey(w.appMetadata.environment, w.appMetadata.client_id)] = w.appMetadata;
    this.version++;
  }

  /** Removes a refresh token the server declared dead. Returns whether one was removed. */
  removeRefreshToken(home: string, env: string, clientId: string): boolean {
    const e = this.findRefreshToken(home, env, clientId);
    if (!e) return false;
    this.deleteRefreshToken(e);
    this.version++;
    return true;
  }

  /** Removes every entry of one account (all realms, all clients). */
  removeAccount(home: string): boolean {
    const sections = this.byHome.get(home.toLowerCase());
    const tagged = [...(sections?.entries() ?? [])].flatMap(([section, keys]) => [...keys].map((key) => [section, key] as const));
    if (tagged.length === 0) return false;
    for (const [section, key] of tagged) {
      if (section === 'AccessToken') {
        const e = this.data.AccessToken[key];
        if (e) this.deleteAccessToken(key, e);
      } else if (section === 'RefreshToken') {
        const e = this.data.RefreshToken[key];
        if (e) this.deleteRefreshToken(e);
      } else if (section === 'IdToken') {
        const e = this.data.IdToken[key];
        if (e) this.idtIndex.delete(slot(e.home_account_id, e.environment, e.client_id, e.realm));
        delete this.data.IdToken[key];
      } else {
        delete this.data.Account[key];
      }
    }
    this.byHome.delete(home.toLowerCase());
    this.version++;
    return true;
  }

  private deleteAccessToken(key: string, e: AccessTokenEntity): void {
    delete this.data.AccessToken[key];
    this.atIndex.get(slot(e.home_account_id, e.environment, e.client_id, e.realm))?.delete(key);
    this.untrack(e.home_account_id, 'AccessToken', key);
  }
  private deleteRefreshToken(e: RefreshTokenEntity): void {
    const key = this.rtIndex.get(slot(e.home_account_id, e.environment, e.client_id)) ?? credentialKey(e);
    delete this.data.RefreshToken[key];
    this.rtIndex.delete(slot(e.home_account_id, e.environment, e.client_id));
    this.untrack(e.home_account_id, 'RefreshToken', key);
  }
}
