// A stand-in for the engine's token cache: holds MSAL-shaped JSON, replaces it on deserialize (the
// seam's contract), and makes accounts with recognisable secrets so tests can grep for leaks.
import type { CachePersistence, SerializableTokenCache, TokenCacheContext } from '../../cache/persistence.js';

interface Shape {
  Account: Record<string, unknown>;
  IdToken: Record<string, unknown>;
  AccessToken: Record<string, unknown>;
  RefreshToken: Record<string, unknown>;
  AppMetadata: Record<string, unknown>;
}

const empty = (): Shape => ({ Account: {}, IdToken: {}, AccessToken: {}, RefreshToken: {}, AppMetadata: {} });

export const usernameOf = (id: string) => `user-${id}@contoso.example`;
export const accessTokenOf = (id: string) => `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.at-${id}-SECRETACCESSTOKEN`;
export const refreshTokenOf = (id: string) => `rt-${id}-SECRETREFRESHTOKEN`;

export class FakeTokenCache implements SerializableTokenCache {
  data: Shape = empty();

  serialize(): string {
    return JSON.stringify(this.data);
  }

  deserialize(json: string): void {
    const parsed = JSON.parse(json) as Shape;
    if (!parsed || typeof parsed !== 'object' || typeof parsed.Account !== 'object' || typeof parsed.AccessToken !== 'object') {
      throw new Error('not MSAL cache JSON');
    }
    this.data = { ...empty(), ...parsed };
  }

  addAccount(id: string): void {
    const home = `${id}.tenant`;
    this.data.Account[`${home}-login.example-tenant`] = { home_account_id: home, environment: 'login.example', realm: 'tenant', username: usernameOf(id), authority_type: 'MSSTS' };
    this.data.AccessToken[`${home}-login.example-accesstoken-client-tenant-api.read`] = { home_account_id: home, credential_type: 'AccessToken', secret: accessTokenOf(id), target: 'api.read' };
    this.data.RefreshToken[`${home}-login.example-refreshtoken-client--`] = { home_account_id: home, credential_type: 'RefreshToken', secret: refreshTokenOf(id) };
  }

  removeAccount(id: string): void {
    const home = `${id}.tenant`;
    for (const section of Object.values(this.data) as Array<Record<string, unknown>>) {
      for (const key of Object.keys(section)) if (key.startsWith(`${home}-`)) delete section[key];
    }
  }

  accountIds(): string[] {
    return Object.values(this.data.Account)
      .map((a) => (a as { home_account_id: string }).home_account_id.replace(/\.tenant$/, ''))
      .sort();
  }
}

const context = (tokenCache: SerializableTokenCache, willWrite: boolean): TokenCacheContext => ({ tokenCache, willWrite, cacheHasChanged: false });

/** One engine-style access: before → (change) → after, with after always called. */
export async function access(persistence: CachePersistence, cache: FakeTokenCache, change?: (c: FakeTokenCache) => void): Promise<void> {
  const ctx = context(cache, change !== undefined);
  await persistence.beforeCacheAccess(ctx);
  try {
    if (change) {
      change(cache);
      ctx.cacheHasChanged = true;
    }
  } finally {
    await persistence.afterCacheAccess(ctx);
  }
}
