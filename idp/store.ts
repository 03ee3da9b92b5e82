// In-memory storage for oidc-provider's models (codes, tokens, sessions, grants…), one namespace per
// tenant. Written here rather than using the built-in LRU adapter because the test controls need to
// enumerate a user's grants ("revoke everything alice consented to"), which the built-in one cannot.
// Nothing is persisted: a restarted IdP forgets sessions and refresh tokens (keys and cert persist).
import type { Adapter, AdapterPayload } from 'oidc-provider';

/**
 * Entries outlive their `exp` by this much: oidc-provider checks `exp` itself, and keeping an expired
 * device code around lets the code-entry page say "this code has expired" instead of "unknown code".
 */
const GRACE_MS = 10 * 60 * 1000;

interface Entry {
  payload: AdapterPayload;
  expiresAt: number | undefined;
}

export interface StoredGrant {
  tenantId: string;
  id: string;
  payload: AdapterPayload;
}

export class MemoryStore {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * An adapter class for oidc-provider's `adapter` option, bound to one tenant's namespace.
   * `keepsUsable(model)`, asked on each `consume`: when true, nothing is recorded, so that model's
   * entries stay usable after oidc-provider consumed them (refresh tokens when reuse is allowed).
   */
  adapterFor(tenantId: string, keepsUsable: (model: string) => boolean = () => false): new (model: string) => Adapter {
    const store = this;
    return class TenantAdapter implements Adapter {
      readonly #prefix: string;
      readonly #model: string;
      constructor(model: string) {
        this.#prefix = `${tenantId}:${model}:`;
        this.#model = model;
      }
      async upsert(id: string, payload: AdapterPayload, expiresIn: number) {
        store.#set(this.#prefix + id, payload, expiresIn);
      }
      async find(id: string) {
        return store.#get(this.#prefix + id);
      }
      async findByUserCode(userCode: string) {
        return store.#findWhere(this.#prefix, (p) => p.userCode === userCode);
      }
      async findByUid(uid: string) {
        return store.#findWhere(this.#prefix, (p) => p.uid === uid);
      }
      async consume(id: string) {
        if (keepsUsable(this.#model)) return;
        const entry = store.#entries.get(this.#prefix + id);
        if (entry) entry.payload.consumed = Math.floor(store.#now() / 1000);
      }
      async destroy(id: string) {
        store.#entries.delete(this.#prefix + id);
      }
      async revokeByGrantId(grantId: string) {
        store.#deleteWhere(`${tenantId}:`, (p) => p.grantId === grantId);
      }
    };
  }

  /** Every live grant of an account (object id) in a tenant. */
  grantsOf(tenantId: string, accountId: string): StoredGrant[] {
    const prefix = `${tenantId}:Grant:`;
    const out: StoredGrant[] = [];
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && entry.payload.accountId === accountId && !this.#expired(entry)) {
        out.push({ tenantId, id: key.slice(prefix.length), payload: entry.payload });
      }
    }
    return out;
  }

  /** Drop a grant and everything issued under it (codes, access and refresh tokens). */
  revokeGrant(tenantId: string, grantId: string): void {
    this.#entries.delete(`${tenantId}:Grant:${grantId}`);
    this.#deleteWhere(`${tenantId}:`, (p) => p.grantId === grantId);
  }

  /** Drop browser sessions of an account, so the next interactive sign-in asks for the password again. */
  endSessionsOf(tenantId: string, accountId: string): void {
    this.#deleteWhere(`${tenantId}:Session:`, (p) => p.accountId === accountId);
  }

  #set(key: string, payload: AdapterPayload, expiresIn: number) {
    this.#entries.set(key, { payload, expiresAt: expiresIn ? this.#now() + expiresIn * 1000 + GRACE_MS : undefined });
  }

  #get(key: string): AdapterPayload | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (this.#expired(entry)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  #findWhere(prefix: string, match: (p: AdapterPayload) => boolean): AdapterPayload | undefined {
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && match(entry.payload)) return this.#get(key);
    }
    return undefined;
  }

  #deleteWhere(prefix: string, match: (p: AdapterPayload) => boolean) {
    for (const [key, entry] of this.#entries) {
      if (key.startsWith(prefix) && match(entry.payload)) this.#entries.delete(key);
    }
  }

  #expired(entry: Entry): boolean {
    return entry.expiresAt !== undefined && entry.expiresAt <= this.#now();
  }
}
