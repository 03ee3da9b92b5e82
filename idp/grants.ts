// Consent is remembered per user and app, whatever browser or flow gave it (as Entra does), so the
// existing grant is looked up in the store rather than through the browser session.
import type Provider from 'oidc-provider';
import type { Grant, KoaContextWithOIDC } from 'oidc-provider';
import type { MemoryStore } from './store.js';

export async function findUserGrant(
  provider: Provider,
  store: MemoryStore,
  tenantId: string,
  accountId: string,
  clientId: string,
): Promise<Grant | undefined> {
  const stored = store.grantsOf(tenantId, accountId).find((g) => g.payload.clientId === clientId);
  return stored ? provider.Grant.find(stored.id) : undefined;
}

/** oidc-provider's `loadExistingGrant`: the interaction's grant first, else the user's grant for this app. */
export function existingGrantLoader(store: MemoryStore, tenantId: string) {
  return async function loadExistingGrant(ctx: KoaContextWithOIDC): Promise<Grant | undefined> {
    const provider = ctx.oidc.provider;
    const fromResult = ctx.oidc.result?.consent?.grantId as string | undefined;
    if (fromResult) return provider.Grant.find(fromResult);
    const accountId = ctx.oidc.session?.accountId;
    const clientId = ctx.oidc.client?.clientId;
    if (!accountId || !clientId) return undefined;
    return findUserGrant(provider, store, tenantId, accountId, clientId);
  };
}
