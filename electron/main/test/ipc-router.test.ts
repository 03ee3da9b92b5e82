import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventPublisher, createIpcRouter } from '../ipc-router.js';
import { isTrustedSender } from '../sender-policy.js';
import { toErrorView } from '../../../shared/error-messages.js';
import { errorViewSchema } from '../../../shared/views.js';
import { fakeHandlers, RENDERER_FILE, token, trusted } from './fixtures.js';

const ours = { url: RENDERER_FILE, isMainFrame: true };

function router(overrides = {}) {
  const handlers = fakeHandlers(overrides);
  const rejected: unknown[] = [];
  const r = createIpcRouter({
    handlers,
    isTrustedSender: (s) => isTrustedSender(s, trusted),
    describeError: (e) => toErrorView({ kind: 'server', code: (e as { code?: string }).code ?? 'unknown' }),
    onRejected: (report) => rejected.push(report),
  });
  return { r, handlers, rejected };
}

test('a valid call from our renderer reaches the handler with the parsed request', async () => {
  const { r, handlers } = router();
  const result = await r.handle('getToken', ours, { homeAccountId: 'uid.utid', scopes: ['User.Read'], forceRefresh: true });
  assert.deepEqual(result, { ok: true, value: token });
  assert.deepEqual(handlers.calls, [['getToken', { homeAccountId: 'uid.utid', scopes: ['User.Read'], forceRefresh: true }]]);
});

test('untrusted senders, unknown methods and bad arguments never reach a handler', async () => {
  const { r, handlers, rejected } = router();
  const fromIframe = await r.handle('getState', { url: RENDERER_FILE, isMainFrame: false }, undefined);
  assert.equal(!fromIframe.ok && fromIframe.error.code, 'untrusted_sender');
  const fromElsewhere = await r.handle('signOutAll', { url: 'https://evil.example/', isMainFrame: true }, undefined);
  assert.equal(!fromElsewhere.ok && fromElsewhere.error.kind, 'forbidden');
  const unknown = await r.handle('constructor', ours, undefined);
  assert.equal(!unknown.ok && unknown.error.code, 'unknown_method');
  const bad = await r.handle('getToken', ours, { homeAccountId: 'x', scopes: 'User.Read' });
  assert.equal(!bad.ok && bad.error.code, 'invalid_request');
  assert.match(!bad.ok ? bad.error.message : '', /scopes: expected an array/);
  assert.deepEqual(handlers.calls, []);
  assert.equal(rejected.length, 4);
});

test('a handler error becomes the controller’s ErrorView, not a thrown IPC error', async () => {
  const { r } = router({ getToken: async () => Promise.reject(Object.assign(new Error('x'), { code: 'invalid_grant' })) });
  const result = await r.handle('getToken', ours, { homeAccountId: 'a', scopes: [] });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.error.code, 'invalid_grant');
});

test('responses are validated and stripped: a leaked refresh token is dropped, a malformed view refused', async () => {
  const leaky = router({ getToken: async () => ({ ...token, refreshToken: 'RT-secret', accessToken: 'AT-secret' }) as typeof token });
  const result = await leaky.r.handle('getToken', ours, { homeAccountId: 'a', scopes: [] });
  assert.ok(result.ok);
  assert.ok(!JSON.stringify(result).includes('secret'));
  const broken = router({ getToken: async () => ({ ...token, expiresOn: 'tomorrow' }) as unknown as typeof token });
  const refused = await broken.r.handle('getToken', ours, { homeAccountId: 'a', scopes: [] });
  assert.equal(!refused.ok && refused.error.code, 'invalid_response');
});

test('event publisher validates payloads and drops invalid ones', () => {
  const sent: unknown[] = [];
  const invalid: unknown[] = [];
  const publish = createEventPublisher((e, p) => sent.push([e, p]), (r) => invalid.push(r));
  publish('activity', { id: '1', at: 1, message: 'Signed in', outcome: 'success', extra: 'dropped' } as never);
  publish('deviceCode', null);
  publish('activity', { id: '1' } as never);
  assert.deepEqual(sent, [
    ['activity', { id: '1', at: 1, message: 'Signed in', outcome: 'success' }],
    ['deviceCode', null],
  ]);
  assert.equal(invalid.length, 1);
});

test('error views are cut to the contract and checked: an invalid one becomes the internal error, never a throw', async () => {
  const huge = 'E'.repeat(200_000);
  const views: unknown[] = [
    { kind: 'server', code: huge, message: huge, suggestedAction: huge, serverCode: huge, correlationId: huge },
    { kind: 'bogus', code: 'x', message: 'm', suggestedAction: 's' },
    { kind: 'server', code: 42, message: 'm', suggestedAction: 's' },
    'not a view',
    null,
    Object.defineProperty({}, 'kind', { get: () => { throw new Error('hostile getter'); } }),
  ];
  let next = 0;
  const rejected: Array<{ reason: string }> = [];
  const r = createIpcRouter({
    handlers: fakeHandlers({ getToken: async () => Promise.reject(new Error('boom')) }),
    isTrustedSender: (s) => isTrustedSender(s, trusted),
    describeError: () => views[next++] as ReturnType<typeof toErrorView>,
    onRejected: (report) => rejected.push(report),
  });
  const call = () => r.handle('getToken', ours, { homeAccountId: 'a', scopes: [] });

  const cut = await call();
  assert.ok(!cut.ok);
  assert.ok(errorViewSchema.safeParse(cut.error).success);
  assert.equal(cut.error.kind, 'server');
  assert.equal(cut.error.code.length, 256);
  assert.equal(cut.error.message.length, 2048);
  assert.ok(cut.error.code.endsWith('…') && cut.error.correlationId!.length === 256);

  for (let i = 1; i < views.length; i++) {
    const result = await call();
    assert.ok(!result.ok);
    assert.deepEqual(result.error, toErrorView({ kind: 'internal', code: 'internal_error' }), `view ${i}`);
  }
  assert.deepEqual(rejected.map((x) => x.reason), Array(views.length - 1).fill('invalid_error_view'));
});

test('a refused request is described by path and rule: its values reach neither the renderer nor the log', async () => {
  const { r, handlers, rejected } = router();
  const secret = 'RT-SECRET-0123456789';
  const requests: Array<[string, unknown]> = [
    ['getToken', { homeAccountId: 'a', scopes: [`${secret} "quoted"`], [secret]: secret }],
    ['callSampleApi', { homeAccountId: 'a', endpoint: secret }],
    ['getState', secret],
    ['getState', null],
  ];
  for (const [method, request] of requests) {
    const result = await r.handle(method, ours, request);
    assert.equal(!result.ok && result.error.code, 'invalid_request', method);
    assert.ok(!JSON.stringify(result).includes('SECRET'), JSON.stringify(result));
  }
  assert.deepEqual(handlers.calls, []);
  assert.equal(rejected.length, requests.length);
  assert.ok(!JSON.stringify(rejected).includes('SECRET'), JSON.stringify(rejected));
  assert.deepEqual((rejected[0] as { issues: string[] }).issues, ['scopes[0]: has an unexpected format', '(root): has 1 unexpected field(s)']);
});
