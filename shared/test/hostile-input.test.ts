// What an identity provider controls reaches these helpers: error codes looked up in tables, ID token
// claims copied into views. Names such as `constructor` and `__proto__` must be plain data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainError, toErrorView, truncate, truncateErrorView } from '../error-messages.js';
import { z } from 'zod';
import { errorViewSchema, tokenViewSchema } from '../views.js';
import { check, jsonRecord } from '../validation.js';

test('IdP codes that name Object.prototype members get the kind’s explanation, not "undefined"', () => {
  for (const code of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    const view = toErrorView({ kind: 'server', code, serverCode: code, detail: `The identity provider returned ${code}` });
    assert.equal(view.message, `The identity provider returned an error. (The identity provider returned ${code})`);
    assert.equal(view.suggestedAction, explainError('server', 'x').suggestedAction);
    assert.ok(check(errorViewSchema, view).ok, code);
  }
  // A kind that is not one (an AppError built from untrusted data) falls back to "internal".
  assert.match(explainError('__proto__' as never, '__proto__').sentence, /inside the app/);
});

test('a 200 KB code, correlation id and detail give a bounded view that passes the contract', () => {
  const huge = 'E'.repeat(200_000);
  const view = toErrorView({ kind: 'server', code: huge, serverCode: huge, correlationId: huge, detail: huge });
  assert.ok(check(errorViewSchema, view).ok);
  assert.ok(view.code.length <= 256 && view.serverCode!.length <= 256 && view.correlationId!.length <= 256);
  // Short enough for "Sign-in failed: <message>" to fit an activity entry (1024).
  assert.ok(view.message.length < 1000, `message is ${view.message.length} characters`);
  assert.match(view.message, /^The identity provider returned an error\. \(E+…\)$/);
});

test('truncate marks the cut and never splits a surrogate pair', () => {
  assert.equal(truncate('abc', 3), 'abc');
  assert.equal(truncate('abcd', 3), 'ab…');
  assert.equal(truncate('a😀b', 3), 'a…');
  assert.deepEqual(truncateErrorView({ kind: 'server', code: 'x'.repeat(300), message: 'm', suggestedAction: 's', extra: 1 }), {
    kind: 'server',
    code: `${'x'.repeat(255)}…`,
    message: 'm',
    suggestedAction: 's',
  });
});

test('zod’s own record drops a __proto__ key: the reason claims are copied by jsonRecord', () => {
  const parsed = z.record(z.string(), z.unknown()).safeParse(JSON.parse('{"sub":"s","__proto__":{"isAdmin":true}}'));
  assert.ok(parsed.success);
  assert.equal(Object.hasOwn(parsed.data, '__proto__'), false, 'if zod starts keeping it, jsonRecord could become a z.record');
});

test('a claim named __proto__ is kept as data and does not change the copy’s prototype', () => {
  const claims = JSON.parse('{"sub":"s","__proto__":{"isAdmin":true},"constructor":"c"}') as Record<string, unknown>;
  const parsed = check(jsonRecord(), claims);
  assert.ok(parsed.ok);
  assert.ok(Object.hasOwn(parsed.value, '__proto__'));
  assert.deepEqual(Object.getOwnPropertyDescriptor(parsed.value, '__proto__')?.value, { isAdmin: true });
  assert.equal(Object.getPrototypeOf(parsed.value), Object.prototype);
  assert.equal((parsed.value as { isAdmin?: unknown }).isAdmin, undefined);
  assert.equal(JSON.stringify(parsed.value), '{"sub":"s","__proto__":{"isAdmin":true},"constructor":"c"}');
  // Nested, and through the whole token view.
  const nested = check(jsonRecord(), JSON.parse('{"a":{"__proto__":1}}'));
  assert.ok(nested.ok && Object.hasOwn(nested.value.a as object, '__proto__'));
  const view = check(tokenViewSchema, {
    homeAccountId: 'a',
    requestedScopes: [],
    grantedScopes: [],
    expiresOn: 1,
    source: 'cache',
    fromCache: true,
    idTokenClaims: claims,
    accessTokenMasked: '••••',
  });
  assert.ok(view.ok && Object.hasOwn(view.value.idTokenClaims, '__proto__'));
});
