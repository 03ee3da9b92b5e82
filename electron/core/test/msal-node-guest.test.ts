// A B2B guest (carol, home tenant fabrikam, guest in contoso) between the real @azure/msal-node and our
// engine, both ways, against the local IdP: msal-common writes one Account entity realmed in the home
// tenant with the guest tenant as a tenant profile, and getAllAccounts returns one AccountInfo per
// profile. Each side must find the other's guest profile and serve silent calls from the cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { PublicClientApplication as MsalPublicClient, type INetworkModule, type NetworkResponse } from '@azure/msal-node';
import { startDevIdp, TENANTS, USERS, CLIENT_IDS, SCOPES, DEMO_PASSWORD, type DevIdp } from '../../../idp/index.js';
import { PublicClientApplication } from '../index.js';
import type { CacheJson } from '../cache/schema.js';

let idp: DevIdp;
let dataDir: string;
let agent: Agent;

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'msal-guest-'));
  idp = await startDevIdp({ port: 0, dataDir });
  agent = new Agent({ connect: { ca: idp.caCertPem } });
});
after(async () => {
  await agent?.close();
  await idp?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

const carolHome = `${USERS.carol.homeOid}.${TENANTS.fabrikam.id}`;
const carolGuestOid = USERS.carol.memberships[1].oid;

/** msal-node's HTTP through undici trusting the local IdP's self-signed certificate (and nothing else). */
function networkClient(): INetworkModule {
  const send = async <T>(url: string, method: string, options?: { headers?: Record<string, string>; body?: string }): Promise<NetworkResponse<T>> => {
    const r = await undiciFetch(url, { method, headers: options?.headers ?? {}, body: options?.body, dispatcher: agent });
    const text = await r.text();
    return { status: r.status, headers: Object.fromEntries(r.headers), body: (text ? JSON.parse(text) : {}) as T };
  };
  return { sendGetRequestAsync: (url, options) => send(url, 'GET', options), sendPostRequestAsync: (url, options) => send(url, 'POST', options) };
}

const msal = () =>
  new MsalPublicClient({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), knownAuthorities: [new URL(idp.url).host] },
    system: { networkClient: networkClient() },
  });

const ours = () =>
  PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority: idp.authority('contoso'), allowUsernamePassword: true },
    system: { trustedCaPem: idp.caCertPem },
  });

/** Requests other than metadata (msal-node loads the authority's discovery document on every new instance). */
const tokenTraffic = () => idp.controls.requests((r) => !r.path.endsWith('/.well-known/openid-configuration'));

test('msal-node signs carol in as a guest of contoso; our engine lists her contoso profile and serves silent from its cache', async () => {
  const theirs = msal();
  const signIn = await theirs.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'carol', password: DEMO_PASSWORD });
  assert.ok(signIn);
  const written = JSON.parse(theirs.getTokenCache().serialize()) as CacheJson;
  assert.deepEqual(Object.values(written.Account).map((a) => a.realm), [TENANTS.fabrikam.id], "msal-node's entity is realmed in her home tenant");

  const app = await ours();
  app.getTokenCache().deserialize(theirs.getTokenCache().serialize());
  const accounts = await app.getAllAccounts();
  assert.equal(accounts.length, 1);
  const [carol] = accounts;
  assert.equal(carol!.homeAccountId, carolHome);
  assert.equal(carol!.tenantId, TENANTS.contoso.id, 'the guest profile, not the home realm');
  assert.equal(carol!.localAccountId, carolGuestOid, "her object id in contoso");
  assert.equal(carol!.idTokenClaims?.tid, TENANTS.contoso.id);
  assert.equal(carol!.tenantProfiles.get(TENANTS.contoso.id)?.isHomeTenant, false);

  idp.controls.resetCounts();
  const silent = await app.acquireTokenSilent({ account: carol!, scopes: [SCOPES.userRead] });
  assert.equal(silent.fromCache, true);
  assert.equal(silent.accessToken, signIn.accessToken);
  assert.equal(silent.tenantId, TENANTS.contoso.id);
  assert.equal(idp.controls.requestCount(), 0, 'no request reached the IdP');
});

test('our engine signs carol in as a guest first; msal-node lists her contoso profile and serves silent from its cache', async () => {
  const app = await ours();
  const signIn = await app.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'carol', password: DEMO_PASSWORD });
  assert.equal(signIn.account?.tenantId, TENANTS.contoso.id);

  // What we wrote is what msal-node writes: the home tenant as realm, her home object id, the guest profile.
  const written = JSON.parse(app.getTokenCache().serialize()) as CacheJson;
  const [entity] = Object.values(written.Account);
  assert.equal(entity?.realm, TENANTS.fabrikam.id);
  assert.equal(entity?.local_account_id, USERS.carol.homeOid);
  assert.deepEqual(
    entity?.tenantProfiles?.map((p) => JSON.parse(p)),
    [{ tenantId: TENANTS.contoso.id, localAccountId: carolGuestOid, name: USERS.carol.displayName, username: USERS.carol.upn, isHomeTenant: false }],
  );

  const theirs = msal();
  theirs.getTokenCache().deserialize(app.getTokenCache().serialize());
  const accounts = await theirs.getAllAccounts();
  assert.deepEqual(
    accounts.map((a) => [a.homeAccountId, a.tenantId, a.localAccountId, a.username]),
    [[carolHome, TENANTS.contoso.id, carolGuestOid, USERS.carol.upn]],
  );

  idp.controls.resetCounts();
  const silent = await theirs.acquireTokenSilent({ account: accounts[0]!, scopes: [SCOPES.userRead] });
  assert.equal(silent.fromCache, true);
  assert.equal(silent.accessToken, signIn.accessToken);
  assert.deepEqual(tokenTraffic(), [], 'nothing but the discovery document was fetched');

  // And our own reading of our cache gives the same single guest profile.
  assert.deepEqual((await app.getAllAccounts()).map((a) => [a.tenantId, a.localAccountId]), [[TENANTS.contoso.id, carolGuestOid]]);
});
