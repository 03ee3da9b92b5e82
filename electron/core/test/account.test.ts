// Accounts as msal-common builds and reads them (pure functions): one entity per person, realmed in the
// home tenant, a tenant profile per tenant signed in to, one AccountInfo per profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsecuredJWT } from 'jose';
import { accountEntityFor, accountInfoFrom, accountInfosFrom } from '../account.js';
import { endSessionUrl } from '../public-client.js';
import type { IdTokenEntity } from '../cache/schema.js';
import type { IdTokenClaims } from '../types.js';

const HOME = 'home-tenant';
const GUEST = 'guest-tenant';
const UID = 'home-oid';
const home = `${UID}.${HOME}`;
const clientInfo = Buffer.from(JSON.stringify({ uid: UID, utid: HOME })).toString('base64url');
const claims = (tid: string, oid: string, name = 'Carol'): IdTokenClaims => ({ iss: `https://idp/${tid}/v2.0`, sub: `sub-${tid}`, tid, oid, name, preferred_username: 'carol@home.example' });
const idToken = (tid: string, oid: string, name?: string): IdTokenEntity => ({
  home_account_id: home,
  environment: 'idp',
  credential_type: 'IdToken',
  client_id: 'app',
  realm: tid,
  secret: new UnsecuredJWT({ ...claims(tid, oid, name) }).encode(),
});
const build = (existing: Parameters<typeof accountEntityFor>[0], c: IdTokenClaims) => accountEntityFor(existing, c, home, 'idp', clientInfo, 'entra', 1);

test('a guest sign-in first: realm and local_account_id are the home identity, the guest tenant a profile (as msal-common)', () => {
  const entity = build(undefined, claims(GUEST, 'guest-oid'));
  assert.equal(entity.realm, HOME);
  assert.equal(entity.local_account_id, UID);
  assert.deepEqual(entity.tenantProfiles?.map((p) => JSON.parse(p)), [
    { tenantId: GUEST, localAccountId: 'guest-oid', name: 'Carol', username: 'carol@home.example', isHomeTenant: false },
  ]);
  const infos = accountInfosFrom(entity, [idToken(GUEST, 'guest-oid')], 'app');
  assert.deepEqual(infos.map((a) => [a.homeAccountId, a.tenantId, a.localAccountId]), [[home, GUEST, 'guest-oid']]);
  assert.equal(infos[0]!.idTokenClaims?.tid, GUEST);
});

test('then a home sign-in: still one entity; one AccountInfo per tenant, each with its own claims and object id', () => {
  const entity = build(build(undefined, claims(GUEST, 'guest-oid')), claims(HOME, UID, 'Carol Home'));
  assert.equal(entity.realm, HOME);
  assert.equal(entity.name, 'Carol Home', 'a home sign-in refreshes the base fields');
  const infos = accountInfosFrom(entity, [idToken(GUEST, 'guest-oid'), idToken(HOME, UID, 'Carol Home')], 'app');
  assert.deepEqual(
    infos.map((a) => [a.tenantId, a.localAccountId, a.name, a.tenantProfiles.get(a.tenantId)?.isHomeTenant]),
    [[GUEST, 'guest-oid', 'Carol', false], [HOME, UID, 'Carol Home', true]],
  );
  assert.equal(accountInfoFrom(entity, [], 'app', GUEST).localAccountId, 'guest-oid', 'a profile without an ID token still has its own oid');
  // A guest sign-in after the home one leaves the home fields alone.
  const again = build(entity, claims(GUEST, 'guest-oid', 'Someone else'));
  assert.equal(again.name, 'Carol Home');
  assert.equal(again.tenantProfiles?.length, 2);
});

test('an entity without tenant profiles (older caches) reads as its realm', () => {
  const infos = accountInfosFrom({ home_account_id: home, environment: 'idp', realm: HOME, local_account_id: UID, username: 'u', authority_type: 'MSSTS' }, [], 'app');
  assert.deepEqual(infos.map((a) => [a.tenantId, a.localAccountId, a.tenantProfiles.get(HOME)?.isHomeTenant]), [[HOME, UID, true]]);
});

test('endSessionUrl: client_id, id_token_hint, logout_hint; post_logout_redirect_uri and state only when given', () => {
  const account = { username: 'carol@home.example' };
  const plain = new URL(endSessionUrl('https://idp/t/logout?x=1', { clientId: 'app', idTokenHint: 'the.id.token', account, protocolMode: 'entra' }));
  assert.deepEqual(Object.fromEntries(plain.searchParams), { x: '1', client_id: 'app', id_token_hint: 'the.id.token', logout_hint: 'carol@home.example' });
  const oidc = new URL(
    endSessionUrl('https://op/end', { clientId: 'app', account, protocolMode: 'oidc', postLogoutRedirectUri: 'http://127.0.0.1:5000/', state: 's' }),
  );
  assert.deepEqual(Object.fromEntries(oidc.searchParams), { client_id: 'app', post_logout_redirect_uri: 'http://127.0.0.1:5000/', state: 's' });
});
