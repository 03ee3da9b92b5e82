// The WWW-Authenticate parser and the claims challenge in it: table-driven, pure.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { claimsChallengeOf, decodeClaims, parseWwwAuthenticate, WWW_AUTHENTICATE_LIMITS } from '../www-authenticate.js';

const NBF = '{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}';
const ACRS = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (s: string) => Buffer.from(s).toString('base64url');

describe('parseWwwAuthenticate (RFC 7235)', () => {
  const rows: Array<[string, string, unknown]> = [
    ['one Bearer challenge', 'Bearer realm="api", error="invalid_token"', [{ scheme: 'bearer', params: { realm: 'api', error: 'invalid_token' } }]],
    [
      'several challenges in one header',
      'Bearer realm="x", error="insufficient_claims", claims="eyJ9", Basic realm="y", Negotiate',
      [
        { scheme: 'bearer', params: { realm: 'x', error: 'insufficient_claims', claims: 'eyJ9' } },
        { scheme: 'basic', params: { realm: 'y' } },
        { scheme: 'negotiate', params: {} },
      ],
    ],
    ['token68 with padding, then another challenge', 'Negotiate YIIB==, Bearer realm="r"', [{ scheme: 'negotiate', token68: 'YIIB==', params: {} }, { scheme: 'bearer', params: { realm: 'r' } }]],
    ['quoted strings with escapes and commas', 'Bearer error_description="a \\"b\\", c\\\\d", realm=plain', [{ scheme: 'bearer', params: { error_description: 'a "b", c\\d', realm: 'plain' } }]],
    ['case-insensitive names, spaces around =', 'BEARER Realm = "x" ,ERROR= insufficient_claims', [{ scheme: 'bearer', params: { realm: 'x', error: 'insufficient_claims' } }]],
    ['empty list elements are skipped', ' , Bearer realm="x",, ', [{ scheme: 'bearer', params: { realm: 'x' } }]],
    ['empty header', '', []],
    ['unterminated quoted string', 'Bearer realm="x', []],
    ['a repeated parameter (a second claims) is refused', 'Bearer claims="a", claims="b"', []],
    ['a control character in a quoted string', 'Bearer realm="a\u0000b"', []],
    ['garbage', '=== ,,, "x"', []],
    ['a parameter without a value separator', 'Bearer realm "x"', []],
  ];
  for (const [name, header, expected] of rows) test(name, () => assert.deepEqual(parseWwwAuthenticate(header), expected));

  test('hostile sizes are bounded: a huge header, too many challenges or parameters give nothing', () => {
    assert.deepEqual(parseWwwAuthenticate(`Bearer realm="${'x'.repeat(WWW_AUTHENTICATE_LIMITS.headerLength)}"`), []);
    assert.deepEqual(parseWwwAuthenticate(Array.from({ length: 17 }, () => 'Basic').join(', ')), []);
    assert.deepEqual(parseWwwAuthenticate(`Bearer ${Array.from({ length: 33 }, (_, i) => `p${i}="v"`).join(', ')}`), []);
    assert.deepEqual(parseWwwAuthenticate(undefined), []);
  });

  test('a long run of quotes and backslashes is linear, not a hang', () => {
    const header = `Bearer a="${'\\"'.repeat(5000)}`;
    assert.deepEqual(parseWwwAuthenticate(header), []);
  });
});

describe('claimsChallengeOf', () => {
  const rows: Array<[string, string | null, string | undefined]> = [
    ['Entra CAE: base64 with padding', `Bearer realm="", authorization_uri="https://login.example/authorize", error="insufficient_claims", claims="${b64(NBF)}"`, NBF],
    ['base64url without padding', `Bearer error="insufficient_claims", claims="${b64url(ACRS)}"`, ACRS],
    ['an unquoted token value', `Bearer error=insufficient_claims, claims=${b64url(ACRS)}`, ACRS],
    ['after another scheme', `Basic realm="y", Bearer error="insufficient_claims", claims="${b64(NBF)}"`, NBF],
    ['not insufficient_claims', `Bearer error="invalid_token", claims="${b64(NBF)}"`, undefined],
    ['no claims', 'Bearer error="insufficient_claims"', undefined],
    ['claims that are not base64', 'Bearer error="insufficient_claims", claims="{not base64}"', undefined],
    ['claims that are base64 of a non-object', `Bearer error="insufficient_claims", claims="${b64('[1]')}"`, undefined],
    ['claims that are base64 of an empty object', `Bearer error="insufficient_claims", claims="${b64('{}')}"`, undefined],
    ['another scheme with the same params', `Basic error="insufficient_claims", claims="${b64(NBF)}"`, undefined],
    ['no header', null, undefined],
  ];
  for (const [name, header, expected] of rows) test(name, () => assert.equal(claimsChallengeOf(header)?.claims, expected));

  test('the other parameters come back without the claims', () => {
    const c = claimsChallengeOf(`Bearer realm="api", error="insufficient_claims", claims="${b64(NBF)}"`);
    assert.deepEqual(c?.params, { realm: 'api', error: 'insufficient_claims' });
  });

  test('decodeClaims refuses mixed alphabets, bad UTF-8, impossible lengths and oversized values', () => {
    assert.equal(decodeClaims('ab+c_d'), undefined);
    assert.equal(decodeClaims(Buffer.from([0x7b, 0xff, 0x7d]).toString('base64')), undefined);
    assert.equal(decodeClaims('abcde'), undefined);
    assert.equal(decodeClaims(b64(`{"a":"${'x'.repeat(WWW_AUTHENTICATE_LIMITS.claimsLength)}"}`)), undefined);
    assert.equal(decodeClaims(b64(NBF)), NBF);
  });
});
