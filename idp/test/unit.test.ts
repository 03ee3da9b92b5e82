// Pure pieces of the IdP, without a server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientInfo, entraClaims } from '../claims.js';
import { multiTenantDiscovery } from '../common-discovery.js';
import { DeviceCodePacer } from '../device-pacing.js';
import { findTenant, findUserByLogin, TENANTS, USERS } from '../directory.js';
import { checkLogin, describePermissions, LOGIN_ERRORS } from '../interactions.js';
import { escapeHtml, html } from '../pages/html.js';
import { loginPage } from '../pages/sign-in.js';
import { codeEntryError, xsrfFrom } from '../provider-pages.js';
import { chooseResource, resourcesForScopes } from '../resources.js';
import { routeOf } from '../routes.js';
import { createSettings, InvalidLifetimeError } from '../settings.js';
import { entraResponseExtras } from '../token-response.js';
import { missingConsent } from '../token-prechecks.js';

describe('directory', () => {
  it('finds tenants by name or GUID, case-insensitively', () => {
    assert.equal(findTenant('Contoso'), TENANTS.contoso);
    assert.equal(findTenant(TENANTS.fabrikam.id.toUpperCase()), TENANTS.fabrikam);
    assert.equal(findTenant('tailspin'), undefined);
  });
  it('finds users by short name or UPN within a tenant only', () => {
    assert.equal(findUserByLogin(TENANTS.contoso.id, 'ALICE')?.user, USERS.alice);
    assert.equal(findUserByLogin(TENANTS.contoso.id, 'carol@fabrikam.example')?.membership.kind, 'guest');
    assert.equal(findUserByLogin(TENANTS.fabrikam.id, 'alice'), undefined);
  });
});

describe('claims', () => {
  it('a guest gets the host tenant and guest oid, but her home client_info', () => {
    const tu = findUserByLogin(TENANTS.contoso.id, 'carol')!;
    const claims = entraClaims(tu);
    assert.equal(claims.tid, TENANTS.contoso.id);
    assert.notEqual(claims.oid, USERS.carol.homeOid);
    assert.deepEqual(JSON.parse(Buffer.from(clientInfo(tu), 'base64url').toString()), { uid: USERS.carol.homeOid, utid: TENANTS.fabrikam.id });
  });
});

describe('token response extras', () => {
  it('refresh_in is half the lifetime from 2 h on', () => {
    assert.deepEqual(entraResponseExtras(3600, undefined), { ext_expires_in: 3600 });
    assert.deepEqual(entraResponseExtras(7200, 'ci'), { ext_expires_in: 7200, refresh_in: 3600, client_info: 'ci' });
  });
});

describe('resources', () => {
  it('scopes decide the resource; the first requested API wins', () => {
    assert.deepEqual(resourcesForScopes(['openid', 'user.read', 'api://sample-api/access_as_user']), ['https://graph.localhost', 'api://sample-api']);
    assert.equal(chooseResource(['openid']), undefined);
    assert.equal(chooseResource(['User.Read']), 'https://graph.localhost');
    assert.deepEqual(chooseResource(['User.Read', 'api://sample-api/.default']), ['https://graph.localhost', 'api://sample-api']);
    assert.equal(chooseResource(['api://sample-api/access_as_user'], ['https://graph.localhost', 'api://sample-api']), 'api://sample-api');
    assert.equal(chooseResource([], ['api://sample-api']), 'api://sample-api');
  });
  it('missing consent lists only API scopes the grant lacks', () => {
    const grant = { getResourceScopeFiltered: (r: string, s: string[] | Set<string>) => (r === 'https://graph.localhost' ? [...s].join(' ') : '') };
    assert.deepEqual(missingConsent(grant, ['openid', 'User.Read', 'api://sample-api/access_as_user']), ['api://sample-api/access_as_user']);
  });
});

describe('routes', () => {
  it('maps Entra paths onto the tenant provider', () => {
    assert.deepEqual(routeOf('/contoso/v2.0/.well-known/openid-configuration'), { kind: 'tenant', tenant: TENANTS.contoso, providerPath: '/.well-known/openid-configuration' });
    assert.deepEqual(routeOf(`/${TENANTS.fabrikam.id}/oauth2/v2.0/token`), { kind: 'tenant', tenant: TENANTS.fabrikam, providerPath: '/oauth2/v2.0/token' });
    assert.deepEqual(routeOf('/contoso/interaction/abc-1/login'), { kind: 'interaction', tenant: TENANTS.contoso, uid: 'abc-1', action: 'login' });
    // The federation service's post-back and the interstitial's return land in the interaction too.
    assert.deepEqual(routeOf('/northwind/interaction/abc-1/federated'), { kind: 'interaction', tenant: TENANTS.northwind, uid: 'abc-1', action: 'federated' });
    assert.deepEqual(routeOf('/contoso/interaction/abc-1/continue'), { kind: 'interaction', tenant: TENANTS.contoso, uid: 'abc-1', action: 'continue' });
    assert.deepEqual(routeOf('/Common/v2.0/.well-known/openid-configuration'), { kind: 'multi-tenant', segment: 'common', rest: '/v2.0/.well-known/openid-configuration' });
    assert.deepEqual(routeOf('/tailspin/x'), { kind: 'unknown-tenant', segment: 'tailspin' });
    assert.deepEqual(routeOf('/'), { kind: 'root' });
  });
  it('recorded multi-tenant discovery keeps the {tenantid} issuer template', () => {
    const doc = multiTenantDiscovery('https://localhost:5443', 'organizations');
    assert.equal(doc.issuer, 'https://localhost:5443/{tenantid}/v2.0');
    assert.equal(doc.jwks_uri, 'https://localhost:5443/organizations/discovery/v2.0/keys');
  });
});

describe('login decisions', () => {
  const settings = createSettings();
  it('says what went wrong', () => {
    assert.deepEqual(checkLogin(TENANTS.contoso, settings, 'alice', 'nope'), { ok: false, error: LOGIN_ERRORS.wrongPassword });
    assert.deepEqual(checkLogin(TENANTS.fabrikam, settings, 'alice', 'Passw0rd!'), { ok: false, error: LOGIN_ERRORS.unknownUser('Fabrikam') });
    assert.deepEqual(checkLogin(TENANTS.contoso, settings, '', ''), { ok: false, error: LOGIN_ERRORS.missing });
    assert.deepEqual(checkLogin(TENANTS.contoso, settings, 'alice', 'Passw0rd!'), { ok: true, accountId: USERS.alice.homeOid });
    settings.disabledUsers.add('alice');
    assert.deepEqual(checkLogin(TENANTS.contoso, settings, 'alice', 'Passw0rd!'), { ok: false, error: LOGIN_ERRORS.disabled });
  });
  it('describes requested permissions', () => {
    assert.deepEqual(describePermissions({ missingOIDCScope: ['openid'], missingResourceScopes: { 'api://sample-api': ['api://sample-api/access_as_user'] } }), [
      'Sign you in',
      'Maintain access to data you have given it access to',
      'Sample API: api://sample-api/access_as_user',
    ]);
  });
  it('explains device code errors', () => {
    assert.match(codeEntryError({ name: 'ExpiredError' })!, /expired/);
    assert.match(codeEntryError({ name: 'NotFoundError' })!, /not valid/);
    assert.equal(codeEntryError(undefined), undefined);
  });
});

describe('pages', () => {
  it('escape every interpolated value', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(html`<p>${'<b>'}</p>`.value, '<p>&lt;b&gt;</p>');
    const page = loginPage({ action: '/x', tenantName: 'Contoso', clientName: '<script>', loginHint: '"><img>', error: '<i>' });
    assert.ok(!page.includes('<script>') && !page.includes('"><img>') && !page.includes('<i>'));
    assert.match(page, /<label for="username">/);
    assert.match(page, /<label for="password">/);
    assert.ok(!/https?:\/\/(?!localhost|127)/.test(page), 'no external references');
  });
  it('reads the xsrf value out of oidc-provider forms', () => {
    assert.equal(xsrfFrom('<input type="hidden" name="xsrf" value="abc123"/>'), 'abc123');
  });
});

describe('device code pacing', () => {
  it('answers slow_down when polled sooner than the interval, and grows it by the increment', () => {
    let now = 0;
    const pacer = new DeviceCodePacer(() => 5, () => now);
    pacer.register('dc', 5);
    assert.deepEqual(pacer.poll('dc'), { ok: true });
    now = 1000;
    assert.deepEqual(pacer.poll('dc'), { ok: false, interval: 10 });
    now = 12_000;
    assert.deepEqual(pacer.poll('dc'), { ok: true });
    assert.deepEqual(pacer.poll('unknown'), { ok: true });
  });
});

describe('settings', () => {
  it('accepts lifetimes down to one second and rejects nonsense', () => {
    assert.equal(createSettings({ accessToken: 1 }).lifetimes.accessToken, 1);
    assert.throws(() => createSettings({ accessToken: 0 }), InvalidLifetimeError);
    assert.throws(() => createSettings({ refreshToken: 1.5 }), InvalidLifetimeError);
  });
});
