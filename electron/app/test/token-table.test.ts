// The token table: the engine's read-only cache metadata (never a secret), its naming after the
// configured APIs, the source of the last acquisition, and why a network error happened.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkError, PublicClientApplication } from '../../core/index.js';
import { apiOf, resourceOf, scopeKey, toTokenTableView } from '../token-table.js';
import { errorToView, networkReason } from '../views.js';
import { tokenTableViewSchema } from '../../../shared/views.js';
import { check } from '../../../shared/validation.js';

const apis = [
  { id: 'graph', label: 'Graph-like API', scopes: ['User.Read'] },
  { id: 'sample-api', label: 'Sample API', scopes: ['api://sample-api/access_as_user'] },
];
const HOME = 'uid-1.tid-1';
const ENV = 'login.example';

function cacheJson() {
  const at = (target: string, realm: string, extra: Record<string, string> = {}) => ({
    home_account_id: HOME, environment: ENV, credential_type: 'AccessToken', client_id: 'desktop-sample', secret: `AT-SECRET-${target}`,
    realm, target, cached_at: '1700000000', expires_on: '1700003600', refresh_on: '1700001800', token_type: 'Bearer', ...extra,
  });
  return JSON.stringify({
    Account: {},
    IdToken: {},
    AccessToken: {
      a: at('User.Read openid profile', 'tid-1'),
      b: at('api://sample-api/access_as_user', 'tid-1'),
      c: { ...at('User.Read', 'tid-1'), client_id: 'another-app' },
      d: { ...at('User.Read', 'tid-1'), home_account_id: 'someone-else' },
    },
    RefreshToken: {
      r: { home_account_id: HOME, environment: ENV, credential_type: 'RefreshToken', client_id: 'desktop-sample', secret: 'RT-SECRET', family_id: '1' },
    },
    AppMetadata: {},
  });
}

test('getCachedTokens: this app’s tokens of this account as metadata, with no token value anywhere', async () => {
  const pca = await PublicClientApplication.create({ auth: { clientId: 'desktop-sample', authority: `https://${ENV}/tid-1` } });
  pca.getTokenCache().deserialize(cacheJson());
  const info = await pca.getCachedTokens({ homeAccountId: HOME });
  assert.equal(info.accessTokens.length, 2, 'not another app’s nor another account’s');
  assert.deepEqual(info.accessTokens.map((t) => t.scopes.join(' ')).sort(), ['User.Read openid profile', 'api://sample-api/access_as_user']);
  assert.deepEqual(info.accessTokens[0], {
    scopes: info.accessTokens[0]!.scopes, realm: 'tid-1', clientId: 'desktop-sample', cachedAt: 1700000000_000, expiresOn: 1700003600_000, refreshOn: 1700001800_000, tokenType: 'Bearer',
  });
  assert.deepEqual(info.refreshToken, { present: true, clientId: 'desktop-sample', familyId: '1' });
  assert.doesNotMatch(JSON.stringify(info), /SECRET/);
  assert.deepEqual(await pca.getCachedTokens({ homeAccountId: 'nobody' }), { accessTokens: [], refreshToken: { present: false } });
});

test('the table names each token after its API, keeps the source of the acquisition and marks what was requested', async () => {
  const pca = await PublicClientApplication.create({ auth: { clientId: 'desktop-sample', authority: `https://${ENV}/tid-1` } });
  pca.getTokenCache().deserialize(cacheJson());
  const info = await pca.getCachedTokens({ homeAccountId: HOME });
  const acquisitions = new Map([[scopeKey(['User.Read', 'openid', 'profile']), { requestedScopes: ['User.Read', 'Mail.Read'], source: 'interactive' as const }]]);
  const view = toTokenTableView(info, { homeAccountId: HOME, apis, callableApiId: 'sample-api', acquisitions, refreshTokenIssuedOn: 5 });
  assert.ok(check(tokenTableViewSchema, view).ok);
  const [graph, sample] = view.tokens;
  assert.equal(graph?.apiLabel, 'Graph-like API');
  assert.equal(graph?.resource, 'Microsoft Graph');
  assert.equal(graph?.source, 'interactive');
  assert.deepEqual(graph?.requestedScopes, ['User.Read', 'Mail.Read']);
  assert.equal(graph?.callable, false);
  assert.equal(sample?.apiLabel, 'Sample API');
  assert.equal(sample?.resource, 'api://sample-api');
  assert.equal(sample?.source, undefined, 'not obtained by this run');
  assert.deepEqual(sample?.requestScopes, ['api://sample-api/access_as_user']);
  assert.equal(sample?.callable, true);
  assert.deepEqual(view.refreshToken, { present: true, clientId: 'desktop-sample', familyId: '1', issuedOn: 5 });
});

test('resource and API naming rules', () => {
  assert.equal(resourceOf(['openid', 'api://x/Files.Read']), 'api://x');
  assert.equal(resourceOf(['https://graph.microsoft.com/.default']), 'https://graph.microsoft.com');
  assert.equal(resourceOf(['User.Read']), 'Microsoft Graph');
  assert.equal(apiOf(['user.read'], apis)?.id, 'graph', 'scopes compare case-insensitively');
  assert.equal(apiOf(['Files.Read'], apis), undefined);
  assert.equal(scopeKey(['User.Read', 'openid']), scopeKey(['openid', 'user.read', 'profile']));
});

test('a network error says what failed: refused, not found, timed out (from the cause code, never the text)', () => {
  const errno = (code: string) => Object.assign(new Error('whatever text'), { code });
  // The engine keeps a cause's name, message and code only (errors.ts safeCause): the code is what is read.
  const wrapped = (cause: unknown) => new NetworkError('network_error', 'The token request failed', { cause });
  assert.equal(networkReason(wrapped(errno('ECONNREFUSED'))), 'connection_refused');
  const dualStack = Object.assign(new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')]), { code: 'ECONNREFUSED' });
  assert.equal(networkReason(wrapped(dualStack)), 'connection_refused');
  assert.equal(networkReason(new TypeError('fetch failed', { cause: new AggregateError([errno('ETIMEDOUT')]) })), 'connection_timed_out');
  assert.equal(networkReason(wrapped(errno('ENOTFOUND'))), 'host_not_found');
  assert.equal(networkReason(wrapped(new Error('ECONNREFUSED in the message only'))), undefined);
  const refused = errorToView(wrapped(errno('ECONNREFUSED')));
  assert.equal(refused.kind, 'network');
  assert.equal(refused.code, 'connection_refused');
  assert.match(refused.message, /refused the connection/);
  assert.doesNotMatch(refused.suggestedAction, /check your network/i, 'the network is fine when the provider refused');
  assert.equal(errorToView(wrapped(undefined)).code, 'network_error');
});
