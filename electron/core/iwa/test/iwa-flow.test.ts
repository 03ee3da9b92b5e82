// acquireTokenByIntegratedWindowsAuth end to end: a real MIT KDC, the local IdP accepting HTTP Negotiate
// with the service keytab, and the engine's Kerberos client, all in this process (libkrb5 reads the
// KRB5_* variables per GSS context, so switching KRB5CCNAME between tests switches the "signed-in user").
import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLIENT_IDS, DEMO_PASSWORD, NEGOTIATE_ERRORS, SCOPES, startDevIdp, TENANTS, USERS, type DevIdp } from '../../../../idp/index.js';
import { startKdc, type Kdc } from '../../../../testkit/kdc.js';
import { createFetch } from '../../http/pinned-fetch.js';
import { acquireTokenByIntegratedWindowsAuth, domainHintOf } from '../../flows/iwa.js';
import { PublicClientApplication } from '../../index.js';
import { engineContextOf } from '../../public-client.js';
import { runHeadlessAuthorization } from '../headless-authorization.js';
import { kerberosSpnego } from '../spnego.js';
import { buildAuthorizationRequest } from '../../flows/authorization-request.js';
import { ScopeSet } from '../../scopes.js';
import { capturingLogger } from '../../test/helpers.js';

const KERBEROS_PASSWORD = 'alice-kerberos-pw';
let kdc: Kdc;
let idp: DevIdp;
let dataDir: string;
const idpLog: string[] = [];
const saved = { ...process.env };

before(async () => {
  // mallory has a Kerberos principal but no account in the directory.
  kdc = await startKdc({ users: { alice: KERBEROS_PASSWORD, mallory: 'mallory-pw' } });
  Object.assign(process.env, kdc.env);
  dataDir = await mkdtemp(join(tmpdir(), 'iwa-idp-'));
  idp = await startDevIdp({ port: 0, dataDir, kerberos: {}, logger: (line) => idpLog.push(line) });
});
after(async () => {
  await idp?.stop();
  await kdc?.stop();
  await rm(dataDir, { recursive: true, force: true });
  process.env = saved;
});

const logger = capturingLogger();
const makeApp = (extra: { allowUsernamePassword?: boolean } = {}, authority = idp.authority('contoso')) =>
  PublicClientApplication.create({
    auth: { clientId: CLIENT_IDS.desktop, authority, ...extra },
    system: { trustedCaPem: idp.caCertPem, logger },
  });
const signedInAs = (principal: string, password: string) => (process.env.KRB5CCNAME = kdc.kinit(principal, password));

test('before consent exists, IWA stops at the consent page: interaction_required', async () => {
  signedInAs('alice', KERBEROS_PASSWORD);
  const app = await makeApp();
  await assert.rejects(app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead] }), {
    name: 'InteractionRequiredAuthError',
    code: 'interaction_required',
  });
});

test('with a ticket and consent: alice is signed in with no password page', async () => {
  // Consent once, as a person would in the window (the IdP's password grant records consent).
  const consenting = await makeApp({ allowUsernamePassword: true });
  await consenting.acquireTokenByUsernamePassword({ scopes: [SCOPES.userRead], username: 'alice', password: DEMO_PASSWORD });

  signedInAs('alice', KERBEROS_PASSWORD);
  idp.controls.resetCounts();
  const app = await makeApp();
  const result = await app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead] });

  assert.equal(result.source, 'iwa');
  assert.equal(result.fromCache, false);
  assert.equal(result.tenantId, TENANTS.contoso.id);
  assert.equal(result.account?.username, USERS.alice.upn);
  assert.equal(result.account?.homeAccountId, `${USERS.alice.homeOid}.${TENANTS.contoso.id}`);
  assert.ok(result.scopes.includes(SCOPES.userRead), `granted: ${result.scopes.join(' ')}`);
  // No password form was answered, and the one interaction page was asked for twice: the challenge, then the ticket.
  assert.equal(idp.controls.requestCount((r) => r.method === 'POST' && r.path.endsWith('/login')), 0);
  assert.equal(idp.controls.requestCount((r) => r.method === 'GET' && r.path.includes('/interaction/')), 2);
  // The account is cached like any other: silent works next.
  const silent = await app.acquireTokenSilent({ account: result.account!, scopes: [SCOPES.userRead] });
  assert.equal(silent.fromCache, true);
  for (const line of [...logger.lines, ...idpLog]) assert.doesNotMatch(line, /Negotiate [A-Za-z0-9+/]{20,}|YII/);
});

test('login_hint and domain_hint are sent when the username is known; a different user is refused', async () => {
  signedInAs('alice', KERBEROS_PASSWORD);
  const app = await makeApp();
  const ok = await app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead], username: USERS.alice.upn });
  assert.equal(ok.account?.username, USERS.alice.upn);
  await assert.rejects(app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead], username: 'bob@contoso.example' }), {
    name: 'InteractionRequiredAuthError',
    code: 'iwa_rejected',
  });
  assert.equal(domainHintOf('alice@contoso.example'), 'contoso.example');
  assert.equal(domainHintOf('alice'), undefined);
  assert.equal(domainHintOf('alice@'), undefined);
});

test('no ticket → InteractionRequired (kerberos_no_ticket)', async () => {
  process.env.KRB5CCNAME = kdc.emptyCredentialCache();
  const app = await makeApp();
  await assert.rejects(app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead] }), {
    name: 'InteractionRequiredAuthError',
    code: 'kerberos_no_ticket',
  });
});

test('an expired ticket → InteractionRequired (kerberos_ticket_expired)', async () => {
  // The KDC grants a 2-second ticket; libkrb5 refuses it once past its end time.
  process.env.KRB5CCNAME = kdc.kinit('alice', KERBEROS_PASSWORD, { lifetime: '2s' });
  await new Promise((r) => setTimeout(r, 3000));
  const app = await makeApp();
  await assert.rejects(app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead] }), {
    name: 'InteractionRequiredAuthError',
    code: 'kerberos_ticket_expired',
  });
});

test('a principal with no account in the tenant is refused by the IdP', async () => {
  signedInAs('mallory', 'mallory-pw');
  const app = await makeApp();
  await assert.rejects(app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead] }), {
    name: 'InteractionRequiredAuthError',
    code: 'iwa_rejected',
  });
});

test('a replayed SPNEGO token is rejected: 401, the challenge again and the form with an error line', async () => {
  signedInAs('alice', KERBEROS_PASSWORD);
  const app = await makeApp();
  const fetch = createFetch({ trustedCaPem: idp.caCertPem });
  const authorize = async () =>
    (await buildAuthorizationRequest(engineContextOf(app), { scopes: ScopeSet.from([SCOPES.userRead]), redirectUri: 'http://127.0.0.1/' })).url;

  let captured = '';
  const first = await runHeadlessAuthorization(await authorize(), {
    fetch,
    redirectUri: 'http://127.0.0.1/',
    spnego: async (host) => (captured = await kerberosSpnego(host)),
  });
  assert.ok(first.searchParams.get('code'), 'the first use of the token signs in');

  // The very same Authorization header on a fresh sign-in: the acceptor's replay cache refuses it.
  let last: Response | undefined;
  const recording: typeof fetch = async (input, init) => (last = (await fetch(input, init)).clone());
  await assert.rejects(
    runHeadlessAuthorization(await authorize(), { fetch: recording, redirectUri: 'http://127.0.0.1/', spnego: async () => captured }),
    { name: 'InteractionRequiredAuthError', code: 'iwa_rejected' },
  );
  assert.equal(last?.status, 401);
  assert.equal(last?.headers.get('www-authenticate'), 'Negotiate');
  const page = await last!.text();
  assert.match(page, /name="password"/);
  assert.ok(page.includes(NEGOTIATE_ERRORS.rejected), 'the form says why');
  assert.ok(idpLog.some((l) => /Negotiate token refused: Request is a replay/.test(l)), idpLog.join('\n'));
});

test('an IdP that does not offer Negotiate → InteractionRequired (the password form is a page for a person)', async () => {
  signedInAs('alice', KERBEROS_PASSWORD);
  const plainDir = await mkdtemp(join(tmpdir(), 'iwa-plain-idp-'));
  const plain = await startDevIdp({ port: 0, dataDir: plainDir });
  try {
    const app = await PublicClientApplication.create({
      auth: { clientId: CLIENT_IDS.desktop, authority: plain.authority('contoso') },
      system: { trustedCaPem: plain.caCertPem },
    });
    await assert.rejects(app.acquireTokenByIntegratedWindowsAuth({ scopes: [SCOPES.userRead] }), {
      name: 'InteractionRequiredAuthError',
      code: 'interaction_required',
    });
  } finally {
    await plain.stop();
    await rm(plainDir, { recursive: true, force: true });
  }
});

test('a Kerberos call that never returns is cut off: iwa_timed_out', async () => {
  const app = await makeApp();
  await assert.rejects(
    acquireTokenByIntegratedWindowsAuth(engineContextOf(app), { scopes: [SCOPES.userRead], timeoutMs: 300 }, () => new Promise<string>(() => {})),
    { name: 'InteractionRequiredAuthError', code: 'iwa_timed_out' },
  );
});

test("the caller's cancel stays a cancel (the app must not fall back after it)", async () => {
  const app = await makeApp();
  const abort = new AbortController();
  const pending = acquireTokenByIntegratedWindowsAuth(engineContextOf(app), { scopes: [SCOPES.userRead], signal: abort.signal }, () => new Promise<string>(() => {}));
  setTimeout(() => abort.abort(), 50);
  await assert.rejects(pending, { name: 'UserCancelError', code: 'user_cancelled' });
});
