// The pure parts of the IdP's Negotiate sign-in; the Kerberos exchange itself is tested end to end in
// electron/core/iwa/test (real KDC, real acceptor).
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { TENANTS, USERS } from '../directory.js';
import { asksForCredentials, NEGOTIATE_ERRORS, negotiateSignIn, negotiateToken, resolvePrincipal, userNameOfPrincipal } from '../kerberos.js';
import { createSettings } from '../settings.js';

test('the token of an Authorization: Negotiate header', () => {
  assert.equal(negotiateToken('Negotiate YIIabc+/='), 'YIIabc+/=');
  assert.equal(negotiateToken('negotiate   YII'), 'YII');
  assert.equal(negotiateToken('Basic YWxpY2U6cHc='), undefined);
  assert.equal(negotiateToken('Negotiate'), undefined);
  assert.equal(negotiateToken(undefined), undefined);
});

test('principal → user, under the password form rules and the login_hint', () => {
  const settings = createSettings();
  assert.equal(userNameOfPrincipal('alice@TEST.LOCAL'), 'alice');
  assert.deepEqual(resolvePrincipal(TENANTS.contoso, settings, 'alice@TEST.LOCAL'), { ok: true, accountId: USERS.alice.homeOid });
  assert.deepEqual(resolvePrincipal(TENANTS.contoso, settings, 'alice@TEST.LOCAL', 'alice@contoso.example'), { ok: true, accountId: USERS.alice.homeOid });
  assert.deepEqual(resolvePrincipal(TENANTS.contoso, settings, 'alice@TEST.LOCAL', 'bob'), { ok: false, error: NEGOTIATE_ERRORS.otherUser });
  assert.deepEqual(resolvePrincipal(TENANTS.contoso, settings, 'mallory@TEST.LOCAL'), { ok: false, error: NEGOTIATE_ERRORS.unknownUser });
  assert.deepEqual(resolvePrincipal(TENANTS.fabrikam, settings, 'alice@TEST.LOCAL'), { ok: false, error: NEGOTIATE_ERRORS.unknownUser });
  settings.disabledUsers.add('alice');
  assert.deepEqual(resolvePrincipal(TENANTS.contoso, settings, 'alice@TEST.LOCAL'), { ok: false, error: NEGOTIATE_ERRORS.disabled });
});

test('prompt=login asks for typed credentials, so no single sign-on', () => {
  assert.equal(asksForCredentials('login'), true);
  assert.equal(asksForCredentials('select_account login'), true);
  assert.equal(asksForCredentials('select_account'), false);
  assert.equal(asksForCredentials(undefined), false);
});

test('a refused token is logged by reason, never by value', async () => {
  const lines: string[] = [];
  const acceptor = { service: 'HTTP@localhost', accept: async () => { throw new Error('Unspecified GSS failure.  Minor code may provide more information: Request is a replay'); } };
  const outcome = await negotiateSignIn(acceptor, 'Negotiate YIIsecret-token', () => ({ ok: true, accountId: 'x' }), (l) => lines.push(l));
  assert.deepEqual(outcome, { ok: false, error: NEGOTIATE_ERRORS.rejected });
  assert.deepEqual(lines, ['Negotiate token refused: Request is a replay']);
  assert.deepEqual(await negotiateSignIn(acceptor, undefined, () => ({ ok: true, accountId: 'x' }), (l) => lines.push(l)), { ok: false });
});
