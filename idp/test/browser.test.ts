// Interactive flows driven by Debian Chromium: auth code + PKCE (login and consent pages, incremental
// consent), and the device code flow's browser step. The client side is oauth4webapi.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as oauth from 'oauth4webapi';
import type { Page } from 'playwright-core';
import { launchTestBrowser, type TestBrowser } from '../../testkit/chromium.js';
import { SCOPES, TENANTS, USERS } from '../index.js';
import { client, decodeClientInfo, decodeJwt, discover, loopbackListener, noAuth, startTestIdp, type TestIdp } from './helpers.js';

const BASE_SCOPES = 'openid profile email offline_access';

describe('interactive sign-in in Chromium', { timeout: 120_000 }, () => {
  let idp: TestIdp;
  let browser: TestBrowser;
  let as: oauth.AuthorizationServer;
  const external: string[] = [];

  before(async () => {
    idp = await startTestIdp({ deviceFlow: { interval: 1, slowDownIncrement: 1 } });
    as = await discover(idp, 'contoso');
    browser = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
    // Every page must be self-contained: anything leaving loopback is blocked by the test browser.
    browser.context.on('requestfailed', (r) => {
      if (r.failure()?.errorText.includes('BLOCKED')) external.push(r.url());
    });
  });
  after(async () => {
    await browser?.close();
    await idp?.close();
    assert.deepEqual(external, [], 'pages loaded something from outside');
  });

  /** Run the authorization request in a fresh page; `steps` drives the IdP's pages. */
  async function authorize(scope: string, steps: (page: Page) => Promise<void>, { tenant = 'contoso', prompt = '' } = {}) {
    const listener = await loopbackListener();
    const page = await browser.newPage();
    try {
      const verifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = oauth.generateRandomNonce();
      const url = new URL(as.authorization_endpoint!);
      url.pathname = url.pathname.replace(TENANTS.contoso.id, tenant);
      for (const [k, v] of Object.entries({
        client_id: client.client_id,
        redirect_uri: listener.redirectUri,
        response_type: 'code',
        scope,
        state,
        nonce,
        code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        ...(prompt ? { prompt } : {}),
      })) url.searchParams.set(k, v);
      await page.goto(url.href);
      await steps(page);
      const callback = await listener.callback.catch(async (err: Error) => {
        throw new Error(`${err.message}; the browser shows ${page.url()}: ${(await page.innerText('body')).slice(0, 500).replaceAll('\n', ' | ')}`);
      });
      const params = oauth.validateAuthResponse(as, client, callback, state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, noAuth, params, listener.redirectUri, verifier, idp.http);
      return await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    } finally {
      await page.close();
      await listener.close();
    }
  }

  async function login(page: Page, username: string, password = 'Passw0rd!') {
    await page.getByLabel('Username or email').fill(username);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Password').press('Enter'); // keyboard only
  }

  it('auth code + PKCE: login, consent, Entra-shaped tokens', async () => {
    const result = await authorize(`${BASE_SCOPES} ${SCOPES.userRead}`, async (page) => {
      await login(page, 'alice');
      await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      assert.ok(await page.getByText('Graph-like API: User.Read').isVisible());
      await page.getByRole('button', { name: 'Accept' }).click();
    });
    const claims = oauth.getValidatedIdTokenClaims(result)!;
    assert.equal(claims.tid, TENANTS.contoso.id);
    assert.equal(claims.preferred_username, 'alice@contoso.example');
    assert.equal(result.scope, SCOPES.userRead);
    assert.ok(result.refresh_token, 'a refresh token without prompt=consent');
    assert.deepEqual(decodeClientInfo(result.client_info), { uid: USERS.alice.homeOid, utid: TENANTS.contoso.id });
    assert.equal(decodeJwt(result.access_token).aud, 'https://graph.localhost');
  });

  it('wrong password says so on the login page; then signing in works', async () => {
    const result = await authorize(`${BASE_SCOPES} ${SCOPES.userRead}`, async (page) => {
      await login(page, 'bob', 'nope');
      const alert = page.getByRole('alert');
      assert.match(await alert.innerText(), /account or password is incorrect/);
      assert.equal(await page.getByLabel('Username or email').inputValue(), 'bob');
      await login(page, 'bob');
      await page.getByRole('button', { name: 'Accept' }).click();
    }, { prompt: 'select_account' }); // alice's session exists here: MSAL's prompt shows the login form
    assert.equal(oauth.getValidatedIdTokenClaims(result)!.preferred_username, 'bob@contoso.example');
  });

  it('incremental consent: a second API asks once, then never again', async () => {
    // Same browser: alice still has a session from the first test, so no login page now.
    const first = await authorize(`${BASE_SCOPES} ${SCOPES.sampleApi}`, async (page) => {
      await page.getByRole('heading', { name: 'Permissions requested' }).waitFor();
      const items = await page.getByRole('listitem').allInnerTexts();
      assert.deepEqual(items, [`Sample API: ${SCOPES.sampleApi}`], 'only the new permission is asked for');
      await page.getByRole('button', { name: 'Accept' }).click();
    });
    assert.equal(decodeJwt(first.access_token).aud, 'api://sample-api');
    const again = await authorize(`${BASE_SCOPES} ${SCOPES.sampleApi}`, async () => {});
    assert.equal(decodeJwt(again.access_token).scp, 'access_as_user');
  });

  it('the B2B guest signs in to contoso by GUID authority with contoso tid', async () => {
    const fresh = await launchTestBrowser({ trustedCertPem: idp.caCertPem });
    const saved = browser;
    browser = fresh;
    try {
      const result = await authorize(`${BASE_SCOPES} ${SCOPES.userRead}`, async (page) => {
        await login(page, 'carol@fabrikam.example');
        await page.getByRole('button', { name: 'Accept' }).click();
      }, { tenant: TENANTS.contoso.id });
      const claims = oauth.getValidatedIdTokenClaims(result)!;
      assert.equal(claims.tid, TENANTS.contoso.id);
      assert.equal(decodeClientInfo(result.client_info).utid, TENANTS.fabrikam.id);
    } finally {
      browser = saved;
      await fresh.close();
    }
  });

  it('cancelling consent returns access_denied to the app', async () => {
    const listener = await loopbackListener();
    const page = await browser.newPage();
    try {
      const url = new URL(as.authorization_endpoint!);
      for (const [k, v] of Object.entries({
        client_id: client.client_id, redirect_uri: listener.redirectUri, response_type: 'code', scope: `${BASE_SCOPES} ${SCOPES.userRead}`,
        state: 's1', code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256', prompt: 'login',
      })) url.searchParams.set(k, v);
      idp.controls.revokeGrants('carol'); // consent is remembered per user: forget hers so she is asked
      await page.goto(url.href);
      await login(page, 'carol');
      await page.getByRole('button', { name: 'Cancel' }).click();
      const callback = await listener.callback;
      assert.equal(callback.searchParams.get('error'), 'access_denied');
      assert.equal(callback.searchParams.get('code'), null);
    } finally {
      await page.close();
      await listener.close();
    }
  });

  it('sign-out page ends the session and returns to the app', async () => {
    const listener = await loopbackListener('/');
    const page = await browser.newPage();
    try {
      const url = new URL(as.end_session_endpoint!);
      url.searchParams.set('client_id', client.client_id);
      url.searchParams.set('post_logout_redirect_uri', listener.redirectUri);
      url.searchParams.set('state', 'bye');
      await page.goto(url.href);
      await page.getByRole('heading', { name: 'Sign out' }).waitFor();
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      const callback = await listener.callback;
      assert.equal(callback.searchParams.get('state'), 'bye');
      // The session is gone: the next sign-in shows the login page again.
      const login = await browser.newPage();
      const authorizeUrl = new URL(as.authorization_endpoint!);
      for (const [k, v] of Object.entries({ client_id: client.client_id, redirect_uri: listener.redirectUri, response_type: 'code', scope: 'openid',
        code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()), code_challenge_method: 'S256' })) authorizeUrl.searchParams.set(k, v);
      await login.goto(authorizeUrl.href);
      await login.getByLabel('Password').waitFor();
      await login.close();
    } finally {
      await page.close();
      await listener.close();
    }
  });

  describe('device code', () => {
    async function start(scope = `${BASE_SCOPES} ${SCOPES.userRead}`) {
      const response = await oauth.deviceAuthorizationRequest(as, client, noAuth, { scope }, idp.http);
      return oauth.processDeviceAuthorizationResponse(as, client, response);
    }
    async function poll(deviceCode: string) {
      const response = await oauth.deviceCodeGrantRequest(as, client, noAuth, deviceCode, idp.http);
      return oauth.processDeviceCodeResponse(as, client, response).then(
        (tokens) => ({ tokens, error: undefined }),
        (err: unknown) => {
          if (err instanceof oauth.ResponseBodyError) return { tokens: undefined, error: err.error, body: err.cause };
          throw err;
        },
      );
    }

    it('browser step in Chromium; interval and slow_down enforced', async () => {
      const device = await start();
      assert.equal(device.interval, 1);
      assert.match(String(device.message), /enter the code/);
      assert.equal((await poll(device.device_code)).error, 'authorization_pending');
      const tooSoon = await poll(device.device_code);
      assert.equal(tooSoon.error, 'slow_down');

      const page = await browser.newPage();
      try {
        await page.goto(device.verification_uri);
        await page.getByLabel('Code').fill(device.user_code);
        await page.getByLabel('Code').press('Enter');
        await page.getByText(device.user_code).waitFor();
        await page.getByRole('button', { name: 'Continue' }).click();
        // The sign-out test ended this browser's session: alice signs in (consent already given).
        await login(page, 'alice');
        await page.getByRole('heading', { name: 'You have signed in' }).waitFor({ timeout: 10_000 }).catch(async (err: Error) => {
          throw new Error(`${err.message}; the browser shows ${page.url()}: ${(await page.innerText('body')).slice(0, 500).replaceAll('\n', ' | ')}`);
        });
      } finally {
        await page.close();
      }
      await new Promise((r) => setTimeout(r, 2100)); // interval grew to 2 s after slow_down
      const done = await poll(device.device_code);
      assert.equal(done.error, undefined);
      assert.equal(oauth.getValidatedIdTokenClaims(done.tokens!)!.preferred_username, 'alice@contoso.example');
      assert.ok(done.tokens!.client_info);
    });

    it('unknown and expired codes are explained on the page; the client gets expired_token', async () => {
      idp.controls.setTokenLifetimes({ deviceCode: 1 });
      let device;
      try {
        device = await start();
      } finally {
        idp.controls.setTokenLifetimes({ deviceCode: 900 });
      }
      const page = await browser.newPage();
      try {
        await page.goto(device.verification_uri);
        await page.getByLabel('Code').fill('BCDF-GHJK');
        await page.getByLabel('Code').press('Enter');
        assert.match(await page.getByRole('alert').innerText(), /not valid/);
        await new Promise((r) => setTimeout(r, 1500));
        await page.getByLabel('Code').fill(device.user_code);
        await page.getByLabel('Code').press('Enter');
        assert.match(await page.getByRole('alert').innerText(), /expired/);
      } finally {
        await page.close();
      }
      const result = await poll(device.device_code);
      assert.equal(result.error, 'expired_token');
    });
  });
});
