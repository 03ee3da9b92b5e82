// Contract-valid views for renderer tests.
import type { AccountView, AppState, CachedTokenView, TokenTableView, TokenView } from '../../shared/views.js';

export const NOW = Date.UTC(2026, 0, 15, 10, 0, 0);

export const alice: AccountView = {
  homeAccountId: 'alice-oid.home-tid',
  name: 'Alice Smith',
  username: 'alice@contoso.example',
  tenantId: 'home-tid',
  homeTenantId: 'home-tid',
  isGuest: false,
  initials: 'AS',
};

export const bob: AccountView = {
  homeAccountId: 'bob-oid.bob-home',
  name: 'Bob Jones',
  username: 'bob@fabrikam.example',
  tenantId: 'home-tid',
  homeTenantId: 'bob-home',
  isGuest: true,
  initials: 'BJ',
};

export function appState(overrides: Partial<AppState> = {}): AppState {
  return {
    accounts: [],
    activeAccountId: null,
    persistence: { state: 'encrypted', warnings: [] },
    config: {
      authority: 'https://localhost:8443/home-tid',
      clientId: 'desktop-sample',
      protocolMode: 'entra',
      signInScopes: ['User.Read'],
      apis: [
        { id: 'graph', label: 'Graph-like API (Mail.Read)', scopes: ['Mail.Read'] },
        { id: 'sample', label: 'Sample API', scopes: ['api://sample-api/Items.Read'] },
      ],
      iwaEnabled: false,
      deviceCodeEnabled: true,
      usesLocalIdp: true,
    },
    signIn: { inProgress: false },
    deviceCode: null,
    ...overrides,
  };
}

export function tokenView(overrides: Partial<TokenView> = {}): TokenView {
  return {
    homeAccountId: alice.homeAccountId,
    requestedScopes: ['User.Read', 'Calendars.Read'],
    grantedScopes: ['user.read', 'openid'],
    expiresOn: NOW + 3600_000,
    refreshOn: NOW + 1800_000,
    acquiredOn: NOW,
    source: 'cache',
    fromCache: true,
    idTokenClaims: { name: 'Alice Smith', preferred_username: 'alice@contoso.example', tid: 'home-tid', exp: NOW / 1000 + 3600, roles: ['Reader'] },
    accessTokenMasked: 'eyJh…Qw9k (1024 chars)',
    ...overrides,
  };
}

export function tokenRow(overrides: Partial<CachedTokenView> = {}): CachedTokenView {
  return {
    id: 'home-tid|user.read',
    resource: 'Microsoft Graph',
    apiId: 'graph',
    apiLabel: 'Graph-like API (Mail.Read)',
    requestedScopes: ['User.Read', 'Calendars.Read'],
    grantedScopes: ['user.read', 'openid'],
    requestScopes: ['User.Read', 'Calendars.Read'],
    realm: 'home-tid',
    cachedAt: NOW,
    expiresOn: NOW + 3600_000,
    refreshOn: NOW + 1800_000,
    source: 'interactive',
    callable: false,
    ...overrides,
  };
}

export const sampleRow = (overrides: Partial<CachedTokenView> = {}): CachedTokenView =>
  tokenRow({
    id: 'home-tid|api://sample-api/items.read',
    resource: 'api://sample-api',
    apiId: 'sample',
    apiLabel: 'Sample API',
    requestedScopes: ['api://sample-api/Items.Read'],
    grantedScopes: ['api://sample-api/Items.Read'],
    requestScopes: ['api://sample-api/Items.Read'],
    refreshOn: undefined,
    source: 'refresh',
    callable: true,
    ...overrides,
  });

export function tokenTable(tokens: CachedTokenView[] = [tokenRow()], homeAccountId = alice.homeAccountId): TokenTableView {
  return { homeAccountId, tokens, refreshToken: { present: true, clientId: 'desktop-sample', familyId: '1', issuedOn: NOW } };
}
