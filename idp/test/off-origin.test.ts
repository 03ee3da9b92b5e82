// Entra's off-origin behaviour: a federated domain (home realm discovery → federation service on another
// origin → signed assertion posted back), an interstitial on another origin, and the device login page on
// its own origin. Pure checks first, then the real IdP over HTTP (a hand-kept cookie jar, no redirects
// followed, so each hop is asserted), then whole flows in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import type { Page } from 'playwright-core';
import { launchTestBrowser, type TestBrowser } from '../../testkit/chromium.js';
import { sendRaw } from '../../testkit/request-fuzz.js';
import { federatedDomainFor, SCOPES, TENANTS, USERS } from '../index.js';
import { createServiceKey, OneTimeIds, signAssertion, verifyAssertion, type ServiceKey } from '../off-origin/assertions.js';
import { ASSERTION_ERRORS, FEDERATION_ASSERTION_TYP, FEDERATION_ERRORS } from '../off-origin/federation.js';
import { INTERSTITIAL_ERRORS, PendingInterstitials } from '../off-origin/interstitial.js';
import { normalizeUserCode } from '../off-origin/device-login.js';
import { client, decodeClientInfo, discover, loopbackListener, noAuth, startTestIdp, withTimeout, type TestIdp } from './helpers.js';

const BASE_SCOPES = 'openid profile email offline_access';

describe('home realm discovery (pure)', () => {
  it('finds the federated domain by UPN suffix, short name or domain_hint, in its own tenant only', () => {
    assert.equal(federatedDomainFor(TENANTS.northwind.id, 'Dave@Northwind.Example'), 'northwind.example');
    assert.equal(federatedDomainFor(TENANTS.northwind.id, 'dave'), 'northwind.example');
    assert.equal(federatedDomainFor(TENANTS.northwind.id, 'northwind.example'), 'northwind.example');
    assert.equal(federatedDomainFor(TENANTS.northwind.id, 'someone.new@northwind.example'), 'northwind.example');
    assert.equal(federatedDomainFor(TENANTS.contoso.id, 'dave@northwind.example'), undefined, 'not federated by contoso');
    assert.equal(federatedDomainFor(TENANTS.contoso.id, 'alice'), undefined);
    assert.equal(federatedDomainFor(TENANTS.contoso.id, 'contoso.example'), undefined, 'a managed domain');
    assert.equal(federatedDomainFor(TENANTS.northwind.id, ''), undefined);
  });
  it('normalises typed device codes as oidc-provider does', () => {
    assert.equal(normalizeUserCode(' bcdf-ghjk '), 'BCDFGHJK');
  });
});

describe('signed assertions (pure)', () => {
  let key: ServiceKey;
  let other: ServiceKey;
  const audience = 'https://localhost:1/5d0c8b7a-3e2f-4a1b-9c8d-7e6f5a4b3c2d/v2.0';
  before(async () => {
    key = await createServiceKey('https://localhost:2/adfs');
    // Another key claiming the same issuer: a forger who knows everything but the private key.
    other = await createServiceKey('https://localhost:2/adfs');
  });
  const options = (used = new OneTimeIds()) => ({ typ: FEDERATION_ASSERTION_TYP, trusted: key, audience, ctx: 'uid-1', used });
  const sign = (k: ServiceKey, over: Partial<{ aud: string; ctx: string; typ: string }> = {}, nowMs?: number) =>
    signAssertion(k, { typ: FEDERATION_ASSERTION_TYP, aud: audience, ctx: 'uid-1', claims: { upn: 'dave@northwind.example' }, ...over }, nowMs);

  it('accepts a good one once; the second use is a replay', async () => {
    const used = new OneTimeIds();
    const token = await sign(key);
    const first = await verifyAssertion(token, options(used));
    assert.ok(first.ok);
    assert.equal(first.claims.upn, 'dave@northwind.example');
    assert.deepEqual(await verifyAssertion(token, options(used)), { ok: false, reason: 'replayed' });
  });
  it('refuses a bad signature, another audience, another sign-in, another kind, an expired one, garbage', async () => {
    const cases: [string, Promise<string>, string][] = [
      ['signature', sign(other), 'signature'],
      ['audience', sign(key, { aud: 'https://localhost:1/3c1b5a9e-2f4d-4c8a-9b6e-0d7f1a2b3c4d/v2.0' }), 'audience'],
      ['interaction', sign(key, { ctx: 'uid-2' }), 'interaction'],
      ['typ', sign(key, { typ: 'interstitial-proof+jwt' }), 'malformed'],
      ['expired', sign(key, {}, Date.now() - 10 * 60 * 1000), 'expired'],
      ['not yet valid', sign(key, {}, Date.now() + 10 * 60 * 1000), 'expired'],
      ['garbage', Promise.resolve('not.a.jwt'), 'malformed'],
    ];
    for (const [name, token, reason] of cases) {
      assert.deepEqual(await verifyAssertion(await token, options()), { ok: false, reason }, name);
    }
  });
  it('a refused assertion does not spend the id of a good one', async () => {
    const used = new OneTimeIds();
    const token = await sign(key);
    assert.equal((await verifyAssertion(token, { ...options(used), ctx: 'uid-2' })).ok, false);
    assert.equal((await verifyAssertion(token, options(used))).ok, true);
  });
  it('every refusal has a sentence for people', () => {
    for (const reason of ['malformed', 'signature', 'issuer', 'audience', 'expired', 'interaction', 'replayed'] as const) {
      assert.match(ASSERTION_ERRORS[reason], /^AADSTS50008: /);
      assert.ok(INTERSTITIAL_ERRORS[reason]);
    }
  });
  it('a parked sign-in is taken once, with its nonce only', () => {
    const pending = new PendingInterstitials();
    const nonce = pending.park('t', 'uid-1', 'oid-1');
    assert.equal(pending.take('t', 'uid-1', 'wrong'), undefined);
    assert.equal(pending.take('t', 'uid-2', nonce), undefined);
    assert.equal(pending.take('t', 'uid-1', nonce), 'oid-1');
    assert.equal(pending.take('t', 'uid-1', nonce), undefined);
  });
  it('a parked sign-in expires', () => {
    let now = 1_000_000;
    const pending = new PendingInterstitials(() => now);
    const nonce = pending.park('t', 'uid-1', 'oid-1');
    now += 11 * 60 * 1000;
    assert.equal(pending.take('t', 'uid-1', nonce), undefined);
  });
});

/** Cookies by name, sent to the authority only (the services on other origins set none). */
class Jar {
  readonly #cookies = new Map<string, string>();
  constructor(readonly idp: TestIdp) {}
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.idp.url);
    const headers = new Headers(init.headers);
    if (target.origin === this.idp.url && this.#cookies.size) headers.set('cookie', [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await this.idp.fetch(target.href, { ...init, headers });
    if (target.origin === this.idp.url) {
      for (const line of response.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        this.#cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1));
      }
    }
    return response;
  }
  post(url: string, form: Record<string, string>): Promise<Response> {
    return this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  }
}

function location(response: Response, base: string): URL {
  assert.equal(response.status, 303, `expected a redirect, got ${response.status}`);
  return new URL(response.headers.get('location')!, base);
}

/** The value of a hidden field in one of our pages. */
function hidden(page: string, name: string): string {
  const value = new RegExp(`name="${name}" value="([^"]*)"`).exec(page)?.[1];
  assert.ok(value, `no ${name} field`);
  return value.replaceAll('&amp;', '&');
}

describe('off-origin services over HTTP', { timeout: 60_000 }, () => {
  let idp: TestIdp;
  before(async () => {
    idp = await startTestIdp();
  });
  after(async () => {
    await idp?.close();
  });

  it('run on origins of their own, with the certificate of the authority', async () => {
    const origins = [idp.url, idp.federationUrl, idp.interstitialUrl, idp.deviceLoginUrl].map((u) => new URL(u).origin);
    assert.equal(new Set(origins).size, 4);
    for (const origin of origins) assert.match(origin, /^https:\/\/localhost:\d+$/);
    const page = await idp.fetch(idp.deviceLoginUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Enter code/);
    // The same front-door rules as the authority: a Host not on the certificate, or a target that is not a path, is refused.
    for (const service of [idp.federationUrl, idp.interstitialUrl, idp.deviceLoginUrl]) {
      const { port, pathname } = new URL(service);
      const target = { port: Number(port), tls: { ca: idp.caCertPem, servername: 'localhost' } };
      const raw = (line: string, host: string) => Buffer.from(`${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1');
      assert.equal((await sendRaw(target, raw(`GET ${pathname} HTTP/1.1`, `evil.example:${port}`))).status, 400, service);
      assert.equal((await sendRaw(target, raw(`GET //evil.example/ HTTP/1.1`, `localhost:${port}`))).status, 400, service);
      // Through the front door, each service answers (the federation service and the interstitial refuse a bare GET themselves).
      const expected = service === idp.deviceLoginUrl ? 200 : 400;
      assert.equal((await sendRaw(target, raw(`GET ${pathname} HTTP/1.1`, `127.0.0.1:${port}`))).status, expected, service);
    }
  });

  /** An authorization request up to the interaction page: its URL and the cookie jar holding the interaction cookie. */
  async function begin(tenant: string, extra: Record<string, string> = {}) {
    const as = await discover(idp, tenant);
    const url = new URL(as.authorization_endpoint!);
    for (const [k, v] of Object.entries({
      client_id: client.client_id,
      redirect_uri: 'http://127.0.0.1:1/callback',
      response_type: 'code',
      scope: BASE_SCOPES,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: 'S256',
      ...extra,
    })) url.searchParams.set(k, v);
    const jar = new Jar(idp);
    const interaction = location(await jar.fetch(url.href), idp.url);
    return { jar, interaction, uid: interaction.pathname.split('/').pop()! };
  }

  /** Username at the authority → federation service → its password → the post-back page's assertion. */
  async function federatedAssertion(jar: Jar, interaction: URL): Promise<{ assertion: string; reply: string }> {
    const toFederation = location(await jar.post(`${interaction.href}/login`, { username: 'dave@northwind.example', password: '' }), idp.url);
    assert.equal(toFederation.origin + toFederation.pathname, idp.federationUrl);
    const fields = Object.fromEntries(['wa', 'wtrealm', 'wctx'].map((k) => [k, toFederation.searchParams.get(k)!]));
    const wrong = await jar.post(idp.federationUrl, { ...fields, username: 'dave@northwind.example', password: 'nope' });
    assert.match(await wrong.text(), new RegExp(FEDERATION_ERRORS.wrongCredentials.slice(0, 30)));
    const posted = await jar.post(idp.federationUrl, { ...fields, username: 'dave@northwind.example', password: 'Passw0rd!' });
    assert.equal(posted.status, 200);
    const csp = posted.headers.get('content-security-policy')!;
    assert.match(csp, new RegExp(`form-action [^;]*${idp.url.replaceAll('.', '\\.')}`), 'the post-back may submit to the authority');
    assert.match(csp, /script-src 'sha256-/, 'its auto-submit script is allowed by hash only');
    const page = await posted.text();
    const reply = /<form method="post" action="([^"]+)"/.exec(page)![1]!;
    return { assertion: hidden(page, 'assertion'), reply };
  }

  it('the username of a federated domain goes to the federation service; its assertion finishes the sign-in once', async () => {
    const { jar, interaction, uid } = await begin('northwind');
    const { assertion, reply } = await federatedAssertion(jar, interaction);
    assert.equal(reply, `${interaction.href}/federated`);
    const resumed = location(await jar.post(reply, { assertion }), idp.url);
    assert.match(resumed.pathname, new RegExp(`/oauth2/v2.0/authorize/${uid}$`), 'back to oidc-provider to finish the code flow');
    const replay = await jar.post(reply, { assertion });
    assert.equal(replay.status, 400);
    assert.match(await replay.text(), /already been used/);
  });

  it('a forged, foreign or missing assertion is refused with an error page', async () => {
    const { jar, interaction, uid } = await begin('northwind');
    const forger = await createServiceKey(new URL(idp.federationUrl).origin + '/adfs');
    const forged = await signAssertion(forger, { typ: FEDERATION_ASSERTION_TYP, aud: idp.tenants.northwind.issuer, ctx: uid, claims: { upn: 'dave@northwind.example' } });
    const refused = await jar.post(`${interaction.href}/federated`, { assertion: forged });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /not signed by the federation service/);
    // A genuine assertion made for another sign-in of the same browser.
    const second = await begin('northwind');
    const { assertion } = await federatedAssertion(second.jar, second.interaction);
    const misplaced = await jar.post(`${interaction.href}/federated`, { assertion });
    assert.match(await misplaced.text(), /belongs to another sign-in/);
    assert.match(await (await jar.post(`${interaction.href}/federated`, {})).text(), /missing or malformed/);
  });

  it('domain_hint or a federated login_hint skips the form; other tenants do not federate northwind', async () => {
    const byDomain = await begin('northwind', { domain_hint: 'northwind.example' });
    const hop = location(await byDomain.jar.fetch(byDomain.interaction.href), idp.url);
    assert.equal(hop.origin + hop.pathname, idp.federationUrl);
    assert.equal(hop.searchParams.get('wtrealm'), idp.tenants.northwind.issuer);
    assert.equal(hop.searchParams.get('wctx'), byDomain.uid);
    const byHint = await begin('northwind', { login_hint: 'dave@northwind.example' });
    const hinted = location(await byHint.jar.fetch(byHint.interaction.href), idp.url);
    assert.equal(hinted.searchParams.get('username'), 'dave@northwind.example');
    // At contoso the domain is nobody's: the form, and dave is an unknown user there.
    const contoso = await begin('contoso', { domain_hint: 'northwind.example' });
    const form = await contoso.jar.fetch(contoso.interaction.href);
    assert.equal(form.status, 200);
    const unknown = await contoso.jar.post(`${contoso.interaction.href}/login`, { username: 'dave@northwind.example', password: 'Passw0rd!' });
    assert.match(await unknown.text(), /couldn&#39;t find an account/);
  });

  it('the federation service posts back only to a relying party it knows', async () => {
    const url = new URL(idp.federationUrl);
    for (const [realm, ctx] of [['https://evil.example/x/v2.0', 'abc'], [idp.tenants.contoso.issuer, 'abc'], [idp.tenants.northwind.issuer, '../../x']]) {
      url.search = new URLSearchParams({ wa: 'wsignin1.0', wtrealm: realm!, wctx: ctx! }).toString();
      const response = await idp.fetch(url.href);
      assert.equal(response.status, 400, realm);
      assert.match(await response.text(), /MSIS7007/);
    }
  });

  it('erin is sent to the interstitial after her password; its proof returns once, a tampered one never', async () => {
    const { jar, interaction, uid } = await begin('contoso');
    const toInterstitial = location(await jar.post(`${interaction.href}/login`, { username: 'erin', password: 'Passw0rd!' }), idp.url);
    assert.equal(toInterstitial.origin + toInterstitial.pathname, idp.interstitialUrl);
    const page = await (await jar.fetch(toInterstitial.href)).text();
    assert.match(page, /More information required/);
    const fields = Object.fromEntries(['tenant', 'ctx', 'nonce'].map((k) => [k, hidden(page, k)]));
    const back = location(await jar.post(idp.interstitialUrl, fields), idp.url);
    assert.equal(back.origin + back.pathname, `${interaction.href}/continue`);
    const tampered = new URL(back);
    tampered.searchParams.set('proof', `${back.searchParams.get('proof')!.slice(0, -4)}AAAA`);
    const refused = await jar.fetch(tampered.href);
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /not signed by the service/);
    const resumed = location(await jar.fetch(back.href), idp.url);
    assert.match(resumed.pathname, new RegExp(`/authorize/${uid}$`));
    assert.match(await (await jar.fetch(back.href)).text(), /already been used/);
    // alice has no interstitial: her password finishes the login step directly.
    const other = await begin('contoso');
    const direct = location(await other.jar.post(`${other.interaction.href}/login`, { username: 'alice', password: 'Passw0rd!' }), idp.url);
    assert.equal(direct.origin, idp.url);
  });

  it('the device flow names the device login origin; it finds the code and hands over to the authority', async () => {
    const as = await discover(idp, 'fabrikam');
    const device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, noAuth, { scope: BASE_SCOPES }, idp.http));
    assert.equal(device.verification_uri, idp.deviceLoginUrl);
    assert.equal(device.verification_uri_complete, `${idp.deviceLoginUrl}?user_code=${encodeURIComponent(device.user_code)}`);
    assert.match(String(device.message), new RegExp(idp.deviceLoginUrl.replaceAll('.', '\\.')));
    const handover = location(await idp.fetch(device.verification_uri_complete!), idp.url);
    assert.equal(handover.origin, idp.url);
    assert.equal(handover.pathname, `/${TENANTS.fabrikam.id}/oauth2/v2.0/deviceauth`, 'the tenant that issued the code');
    assert.equal(handover.searchParams.get('user_code'), device.user_code);
    const typed = location(await idp.fetch(`${idp.deviceLoginUrl}?user_code=${device.user_code.toLowerCase().replace('-', ' ')}`), idp.url);
    assert.equal(typed.pathname, handover.pathname, 'as typed: any case, spaces');
    const unknown = await idp.fetch(`${idp.deviceLoginUrl}?user_code=BCDF-GHJK`);
    assert.equal(unknown.status, 200);
    assert.match(await unknown.text(), /not valid/);
  });
});

describe('off-origin flows in Chromium', { timeout: 120_000 }, () => {
  let idp: TestIdp;
  let browser: TestBrowser;
  const external: string[] = [];

  before(async () => {
    idp = await startTestIdp({ deviceFlow: { interval: 1, slowDownIncrement: 1 } });
    browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
    browser.context.on('requestfailed', (r) => {
      if (r.failure()?.errorText.includes('BLOCKED')) external.push(r.url());
    });
  });
  after(async () => {
    await browser?.close();
    await idp?.close();
    assert.deepEqual(external, [], 'pages loaded something from outside');
  });

  async function authorize(tenant: string, steps: (page: Page) => Promise<void>, extra: Record<string, string> = {}) {
    const as = await discover(idp, tenant);
    const listener = await loopbackListener();
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    try {
      const verifier = oauth.generateRandomCodeVerifier();
      const url = new URL(as.authorization_endpoint!);
      for (const [k, v] of Object.entries({
        client_id: client.client_id,
        redirect_uri: listener.redirectUri,
        response_type: 'code',
        scope: `${BASE_SCOPES} ${SCOPES.userRead}`,
        state: 'st',
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...extra,
      })) url.searchParams.set(k, v);
      await page.goto(url.href);
      await steps(page);
      const callback = await listener.callback.catch(async (err: Error) => {
        throw new Error(`${err.message}; the browser shows ${page.url()}: ${(await page.innerText('body')).slice(0, 300).replaceAll('\n', ' | ')}; ${violations.join(' | ')}`);
      });
      const params = oauth.validateAuthResponse(as, client, callback, 'st');
      const response = await oauth.authorizationCodeGrantRequest(as, client, noAuth, params, listener.redirectUri, verifier, idp.http);
      const result = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
      assert.deepEqual(violations, [], 'no form hop blocked by a CSP');
      return result;
    } finally {
      await page.close();
      await listener.close();
    }
  }

  it('federated sign-in: username at the authority, password at the federation service, tokens for the federated user', async () => {
    const result = await authorize('northwind', async (page) => {
      await page.getByLabel('Username or email').fill('dave@northwind.example');
      await page.getByLabel('Username or email').press('Enter');
      await page.getByRole('heading', { name: 'Northwind Federation Services' }).waitFor();
      assert.equal(new URL(page.url()).origin, new URL(idp.federationUrl).origin);
      assert.equal(await page.getByLabel('User account').inputValue(), 'dave@northwind.example');
      await page.getByLabel('Password').fill('Passw0rd!');
      await page.getByLabel('Password').press('Enter');
      // Posted back to the authority, which asks for consent as for anyone.
      await page.getByRole('button', { name: 'Accept' }).click();
    });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    assert.equal(claims.preferred_username, USERS.dave.upn);
    assert.equal(claims.tid, TENANTS.northwind.id);
    assert.deepEqual(decodeClientInfo(result.client_info), { uid: USERS.dave.homeOid, utid: TENANTS.northwind.id });
  });

  it('the interstitial on another origin completes and returns to the sign-in', async () => {
    const result = await authorize('contoso', async (page) => {
      await page.getByLabel('Username or email').fill('erin');
      await page.getByLabel('Password').fill('Passw0rd!');
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('heading', { name: 'More information required' }).waitFor();
      assert.equal(new URL(page.url()).origin, new URL(idp.interstitialUrl).origin);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByRole('button', { name: 'Accept' }).click();
    });
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.preferred_username, USERS.erin.upn);
  });

  it('device login on its own origin: the complete link, confirm at the authority, sign in', async () => {
    const as = await discover(idp, 'contoso');
    const device = await oauth.processDeviceAuthorizationResponse(as, client, await oauth.deviceAuthorizationRequest(as, client, noAuth, { scope: `${BASE_SCOPES} ${SCOPES.userRead}` }, idp.http));
    // The other device: a browser of its own, without the sessions the tests above left.
    const otherDevice = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
    const page = await otherDevice.newPage();
    try {
      // An unknown code is explained on the device origin itself.
      await page.goto(device.verification_uri);
      await page.getByLabel('Code').fill('BCDF-GHJK');
      await page.getByLabel('Code').press('Enter');
      assert.match(await page.getByRole('alert').innerText(), /not valid/);
      assert.equal(new URL(page.url()).origin, new URL(idp.deviceLoginUrl).origin);
      await page.goto(device.verification_uri_complete!);
      await page.getByRole('button', { name: 'Continue' }).click();
      assert.equal(new URL(page.url()).origin, idp.url, 'confirmed at the authority');
      await page.getByLabel('Username or email').fill('bob');
      await page.getByLabel('Password').fill('Passw0rd!');
      await page.getByLabel('Password').press('Enter');
      await page.getByRole('button', { name: 'Accept' }).click();
      await page.getByRole('heading', { name: 'You have signed in' }).waitFor();
    } finally {
      await otherDevice.close();
    }
    const tokens = await withTimeout(
      (async () => {
        for (;;) {
          const response = await oauth.deviceCodeGrantRequest(as, client, noAuth, device.device_code, idp.http);
          try {
            return await oauth.processDeviceCodeResponse(as, client, response);
          } catch (err) {
            if (!(err instanceof oauth.ResponseBodyError) || !['authorization_pending', 'slow_down'].includes(err.error)) throw err;
            await new Promise((r) => setTimeout(r, 2_100));
          }
        }
      })(),
      30_000,
      'device code never completed',
    );
    assert.equal(oauth.getValidatedIdTokenClaims(tokens)!.preferred_username, USERS.bob.upn);
  });
});
