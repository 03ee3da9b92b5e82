// error-messages.ts: our codes' table is keyed by the ErrorCode union (the compiler checks it); the
// IdP's codes are explained from their own string-keyed table; every lookup is by own property only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainError } from '../error-messages.js';

test('our codes and the IdP codes are both explained; inherited names find nothing', () => {
  const generic = explainError('server', 'some_code_nobody_knows');
  assert.match(explainError('client', 'loopback_port_unavailable').sentence, /redirect port/);
  assert.match(explainError('server', 'invalid_client').sentence, /does not recognise/, "the IdP's code as the error's own code");
  assert.match(explainError('server', 'server_error', 'AADSTS50126').sentence, /password is incorrect/, "the IdP's code as serverCode");
  assert.match(explainError('server', 'throttled', 'throttled').sentence, /wait/, 'one of our codes given as serverCode too');
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    assert.deepEqual(explainError('server', name, name), generic, name);
  }
});
