// Device code polling rules (RFC 8628) and cancel / timeout of both user-facing flows, with nothing
// left behind: no loopback listener, no timer.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startHostileOp, scriptedRedirect, goodRedirect, type HostileOp, type RawResponse } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, ServerError, TimeoutError, UserCancelError, type DeviceCodeInfo } from '../index.js';
import { openLoopbacks } from '../flows/loopback.js';

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});
beforeEach(() => {
  op.tokenHandler = undefined;
  op.deviceHandler = undefined;
  op.resetCounts();
});

const oauthError = (error: string): RawResponse => ({ status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error }) });
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
const app = () => PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });

/** Device-code grant answers in order; the last one repeats. Records when each poll arrived. */
function devicePolls(answers: Array<RawResponse | 'good'>) {
  const at: number[] = [];
  op.tokenHandler = async (req, o) => {
    at.push(Date.now());
    const answer = answers[Math.min(at.length - 1, answers.length - 1)] as RawResponse | 'good';
    return answer === 'good' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(await o.goodTokenBody(req)) } : answer;
  };
  return at;
}

test('device code: callback info, authorization_pending keeps polling, slow_down adds 5 seconds', async () => {
  const pca = await app();
  const polls = devicePolls([oauthError('authorization_pending'), oauthError('slow_down'), 'good']);
  let info: DeviceCodeInfo | undefined;
  const result = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: (i) => (info = i) });
  assert.equal(result.source, 'device_code');
  assert.equal(info?.userCode, 'ABCD-EFGH');
  assert.equal(info?.interval, 1);
  assert.match(info?.message ?? '', /ABCD-EFGH/);
  assert.equal(polls.length, 3);
  assert.ok((polls[2] as number) - (polls[1] as number) >= 5900, 'waited interval + 5 s after slow_down');
});

for (const code of ['access_denied', 'expired_token']) {
  test(`device code: ${code} ends the flow with the server's code`, async () => {
    const pca = await app();
    const before = timers();
    devicePolls([oauthError(code)]);
    const err = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => {} }).catch((e: unknown) => e);
    assert.ok(err instanceof ServerError, String(err));
    assert.equal(err.code, code);
    assert.equal(timers(), before, 'no timer left');
  });
}

test('device code: cancel at any moment (during the wait) leaves no timer', async () => {
  const pca = await app();
  devicePolls([oauthError('authorization_pending')]);
  const before = timers();
  const controller = new AbortController();
  const err = await pca
    .acquireTokenByDeviceCode({ scopes: ['User.Read'], signal: controller.signal, deviceCodeCallback: () => setImmediate(() => controller.abort()) })
    .catch((e: unknown) => e);
  assert.ok(err instanceof UserCancelError, String(err));
  assert.equal(err.code, 'user_cancelled');
  assert.equal(timers(), before);
  assert.equal(op.counts['oauth2/v2.0/token'] ?? 0, 0);
});

test('device code: timeout', async () => {
  const pca = await app();
  devicePolls([oauthError('authorization_pending')]);
  const before = timers();
  const err = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], timeoutMs: 1500, deviceCodeCallback: () => {} }).catch((e: unknown) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.equal(err.code, 'timed_out');
  assert.equal(timers(), before);
});

test("device code: the code's own lifetime running out ends the flow with expired_token, not a timeout", async () => {
  const pca = await app();
  op.deviceHandler = () => ({
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ device_code: 'dc-short', user_code: 'WXYZ-1234', verification_uri: 'https://localhost/device', expires_in: 2, interval: 1 }),
  });
  devicePolls([oauthError('authorization_pending')]);
  const before = timers();
  const err = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => {} }).catch((e: unknown) => e);
  assert.ok(err instanceof ServerError, String(err));
  assert.equal(err.code, 'expired_token');
  assert.equal(timers(), before, 'no timer left');
});

test('interactive: listener on 127.0.0.1 only; cancel via AbortSignal leaves no listener and no timer', async () => {
  const pca = await app();
  await pca.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) }); // discovery loaded
  const before = timers();
  const controller = new AbortController();
  let boundTo: string | undefined;
  const err = await pca
    .acquireTokenInteractive({
      scopes: ['User.Read'],
      signal: controller.signal,
      openBrowser: (url) => {
        assert.equal(new URL(new URL(url).searchParams.get('redirect_uri') as string).hostname, '127.0.0.1');
        boundTo = ([...openLoopbacks][0]?.address() as AddressInfo).address;
        setImmediate(() => controller.abort());
      },
    })
    .catch((e: unknown) => e);
  assert.equal(boundTo, '127.0.0.1');
  assert.ok(err instanceof UserCancelError, String(err));
  assert.equal(openLoopbacks.size, 0);
  assert.equal(timers(), before);
});

test('interactive: timeout leaves no listener and no timer', async () => {
  const pca = await app();
  await pca.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  const before = timers();
  const err = await pca.acquireTokenInteractive({ scopes: ['User.Read'], timeoutMs: 300, openBrowser: () => {} }).catch((e: unknown) => e);
  assert.ok(err instanceof TimeoutError, String(err));
  assert.equal(openLoopbacks.size, 0);
  assert.equal(timers(), before);
});

test('interactive: a preferred port is used when free, an ephemeral one when taken', async () => {
  const pca = await app();
  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const taken = (blocker.address() as AddressInfo).port;
  let used = '';
  try {
    await pca.acquireTokenInteractive({
      scopes: ['User.Read'],
      preferredPort: taken,
      openBrowser: async (url) => {
        used = new URL(new URL(url).searchParams.get('redirect_uri') as string).port;
        await scriptedRedirect(op, goodRedirect)(url);
      },
    });
  } finally {
    blocker.close();
  }
  assert.notEqual(used, String(taken));
  await pca.acquireTokenInteractive({
    scopes: ['User.Read'],
    preferredPort: taken,
    openBrowser: async (url) => {
      used = new URL(new URL(url).searchParams.get('redirect_uri') as string).port;
      await scriptedRedirect(op, goodRedirect)(url);
    },
  });
  assert.equal(used, String(taken));
});

test('interactive: openBrowser throwing fails the flow and closes the listener', async () => {
  const pca = await app();
  const err = await pca.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: () => { throw new Error('no browser'); } }).catch((e: unknown) => e);
  assert.equal((err as { code?: string }).code, 'browser_open_failed');
  assert.equal(openLoopbacks.size, 0);
});
