import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { ENTRA_SEAMLESS_SSO_HOST, negotiateAllowlist } from '../negotiate-allowlist.js';

test('the local IdP: its host name only', () => {
  assert.equal(negotiateAllowlist(['https://localhost:5443/contoso']), 'localhost');
});

test('global Entra adds the Seamless SSO host; an ADFS farm comes as an extra host; no duplicates', () => {
  assert.equal(
    negotiateAllowlist(['https://login.microsoftonline.com/contoso.com', 'https://LOGIN.microsoftonline.com/organizations'], ['sts.contoso.com', '*.corp.contoso.com']),
    `login.microsoftonline.com,${ENTRA_SEAMLESS_SSO_HOST},sts.contoso.com,*.corp.contoso.com`,
  );
});

test('anything that is not a host name is refused (it would widen the list)', () => {
  for (const bad of ['*', 'a,b', 'https://sts.contoso.com', 'sts.contoso.com:443', '*.', '']) {
    assert.throws(() => negotiateAllowlist([], [bad]), { name: 'InvalidNegotiateHostError', code: 'invalid_negotiate_host' });
  }
});
