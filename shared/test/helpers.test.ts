import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopeChips, parseScopeInput, splitScope } from '../scope-chips.js';
import { formatCountdown, lifetimeFractionLeft, describeDuration } from '../countdown.js';
import { initials } from '../initials.js';
import { maskAccessToken } from '../mask-token.js';
import { explainError, toErrorView, extractAadstsCode } from '../error-messages.js';

test('scope chips: case-insensitive match keeps the server spelling; missing and extra are marked', () => {
  const chips = scopeChips(['User.Read', 'api://sample/Files.Write', 'openid', 'profile'], ['user.read', 'Mail.Read', 'openid']);
  assert.deepEqual(
    chips.map((c) => [c.scope, c.status]),
    [
      ['user.read', 'granted'],
      ['api://sample/Files.Write', 'not-granted'],
      ['openid', 'granted'],
      ['Mail.Read', 'extra'],
    ],
    'profile was requested but OIDC scopes the IdP drops are not reported as missing',
  );
  assert.deepEqual(splitScope('api://sample/Files.Write'), { label: 'Files.Write', resource: 'api://sample' });
  assert.deepEqual(splitScope('User.Read'), { label: 'User.Read' });
});

test('parseScopeInput splits on spaces and commas and drops duplicates', () => {
  assert.deepEqual(parseScopeInput(' a  b,c, A '), ['a', 'b', 'c']);
  assert.deepEqual(parseScopeInput('   '), []);
});

test('countdown formatting rounds up and says expired at zero', () => {
  assert.equal(formatCountdown(59_001), '1:00');
  assert.equal(formatCountdown(59_000), '0:59');
  assert.equal(formatCountdown(3_723_000), '1:02:03');
  assert.equal(formatCountdown(0), 'expired');
  assert.equal(formatCountdown(-5), 'expired');
  assert.equal(describeDuration(12_000), '12 seconds');
  assert.equal(describeDuration(4 * 60_000), 'about 4 minutes');
});

test('lifetime fraction is clamped to 0..1', () => {
  assert.equal(lifetimeFractionLeft(1500, 2000, 1000), 0.5);
  assert.equal(lifetimeFractionLeft(3000, 2000, 1000), 0);
  assert.equal(lifetimeFractionLeft(0, 2000, 1000), 1);
});

test('initials from name, else username, handling accents and one-word names', () => {
  assert.equal(initials('Alice Smith', 'alice@contoso.com'), 'AS');
  assert.equal(initials('émilie de la Zoë'), 'ÉZ');
  assert.equal(initials('Bob'), 'B');
  assert.equal(initials('', 'carol.jones@fabrikam.com'), 'CJ');
  assert.equal(initials(undefined, ''), '?');
});

test('masked access token shows only the ends and the length', () => {
  const token = 'eyJhbGciOiJSUzI1NiJ9.' + 'x'.repeat(200) + '.sig1234';
  const masked = maskAccessToken(token);
  assert.equal(masked, `eyJh…1234 (${token.length} chars)`);
  assert.ok(!masked.includes('x'.repeat(8)));
  assert.equal(maskAccessToken('short'), '•••• (5 chars)');
});

test('error explanations: server code beats our code beats the kind', () => {
  assert.match(explainError('interaction_required', 'invalid_grant', 'AADSTS50076').sentence, /multi-factor/);
  assert.match(explainError('interaction_required', 'invalid_grant').sentence, /no longer valid/);
  assert.match(explainError('network', 'ECONNREFUSED').suggestedAction, /network connection/);
  assert.equal(extractAadstsCode('AADSTS65001: The user or administrator has not consented'), 'AADSTS65001');
  const view = toErrorView({ kind: 'server', code: 'server_error', serverCode: 'temporarily_unavailable', correlationId: 'c-1', detail: 'Busy' });
  assert.deepEqual(view, {
    kind: 'server',
    code: 'server_error',
    message: 'The identity provider is temporarily unavailable. (Busy)',
    suggestedAction: 'Wait a moment and try again.',
    serverCode: 'temporarily_unavailable',
    correlationId: 'c-1',
  });
});
