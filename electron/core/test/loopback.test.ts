// The loopback redirect listener against other local processes: a stranger's request (wrong state,
// wrong Host, another path, a request line that `new URL` throws on, a fuzz of them) neither ends the
// sign-in nor the process, and the real redirect afterwards still completes it. A redirect with the
// right state but not exactly one code (or one error) ends it as malformed, never as signed in.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { goodRedirect, lastRedirectStatuses, scriptedRedirect, startHostileOp, type HostileOp } from '../../../testkit/hostile-op.js';
import { describeOutcomes, fuzzServer, sendRaw, watchUncaught } from '../../../testkit/request-fuzz.js';
import { ClientAuthError, PublicClientApplication } from '../index.js';
import { classifyRedirect, openLoopbacks, startLoopback, type Loopback } from '../flows/loopback.js';

const STATE = 'the-expected-state-value';
const at = (target: string, hosts = ['127.0.0.1:5000'], method = 'GET') => classifyRedirect({ method, target, hosts }, { port: 5000, state: STATE });

test('classifyRedirect: only the right Host, path and state settle; only one code (or one error) is a sign-in', () => {
  const kind = (target: string, hosts?: string[], method?: string) => at(target, hosts, method).kind;
  assert.equal(kind(`/?code=c&state=${STATE}`), 'redirect');
  assert.equal(at(`/?code=c&state=${STATE}`).page.title, 'You are signed in');
  assert.equal(kind(`/?code=c&state=${STATE}`, ['localhost:5000']), 'redirect', 'localhost is the same listener');
  assert.equal(kind(`/?error=access_denied&state=${STATE}`), 'redirect', 'the IdP error goes to the flow, which maps it');
  assert.equal(at(`/?error=access_denied&state=${STATE}`).page.ok, false);

  for (const target of [`/?code=a&code=b&state=${STATE}`, `/?state=${STATE}`, `/?code=&state=${STATE}`, `/?code=c&error=x&state=${STATE}`, `/?error=a&error=b&state=${STATE}`]) {
    const d = at(target);
    assert.equal(d.kind, 'malformed', target);
    assert.equal(d.page.ok, false, target);
    assert.notEqual(d.page.title, 'You are signed in', target);
  }

  const ignored: [string, string[] | undefined, string | undefined, number][] = [
    ['/?code=c&state=wrong', undefined, undefined, 400],
    ['/?code=c', undefined, undefined, 400],
    [`/?code=c&state=${STATE}&state=${STATE}`, undefined, undefined, 400],
    [`/?code=c&state=${STATE}x`, undefined, undefined, 400],
    [`/?code=c&state=${STATE}`, ['evil.test:5000'], undefined, 400],
    [`/?code=c&state=${STATE}`, ['127.0.0.1:5001'], undefined, 400],
    [`/?code=c&state=${STATE}`, ['127.0.0.1'], undefined, 400],
    [`/?code=c&state=${STATE}`, ['127.0.0.1:5000', 'evil.test'], undefined, 400],
    [`/?code=c&state=${STATE}`, [], undefined, 400],
    [`/?code=c&state=${STATE}`, undefined, 'POST', 404],
    [`/favicon.ico`, undefined, undefined, 404],
    [`/callback?code=c&state=${STATE}`, undefined, undefined, 404],
    ['//[', undefined, undefined, 400],
    [`//127.0.0.1:5000/?code=c&state=${STATE}`, undefined, undefined, 400],
    [`/\\evil/?code=c&state=${STATE}`, undefined, undefined, 400],
    [`http://127.0.0.1:5000/?code=c&state=${STATE}`, undefined, undefined, 400],
    ['*', undefined, 'OPTIONS', 400],
  ];
  for (const [target, hosts, method, status] of ignored) {
    const d = at(target, hosts, method);
    assert.equal(d.kind, 'ignore', `${method ?? 'GET'} ${target} ${hosts ?? ''}`);
    assert.equal(d.page.status, status, `${method ?? 'GET'} ${target} ${hosts ?? ''}`);
  }
});

/** Whether `result` has settled: the listener settles synchronously before writing its answer. */
function track(lb: Loopback) {
  const state = { settled: false };
  lb.result.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

const raw = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\nConnection: close\r\n\r\n`, 'latin1');

test("a stranger's requests do not end the flow; the real redirect afterwards completes it", async () => {
  const lb = await startLoopback({ timeoutMs: 60_000, expectedState: STATE });
  const progress = track(lb);
  const port = Number(new URL(lb.redirectUri).port);
  try {
    const wrongState = await fetch(`${lb.redirectUri}?code=stolen&state=guess`);
    assert.equal(wrongState.status, 400);
    assert.doesNotMatch(await wrongState.text(), /You are signed in/);
    const noState = await fetch(`${lb.redirectUri}?error=access_denied`);
    assert.equal(noState.status, 400);
    await noState.text();
    assert.equal((await fetch(new URL('/favicon.ico', lb.redirectUri))).status, 404);
    // DNS rebinding: the right state is not even known to such a page, but the Host alone is refused.
    const rebound = await sendRaw({ port }, raw([`GET /?code=x&state=${STATE} HTTP/1.1`, 'Host: rebind.evil.test']));
    assert.equal(rebound.status, 400);
    assert.equal((await sendRaw({ port }, raw(['GET //[ HTTP/1.1', `Host: 127.0.0.1:${port}`]))).status, 400);
    await new Promise((r) => setImmediate(r));
    assert.equal(progress.settled, false, 'still waiting for the real redirect');

    const real = await fetch(`${lb.redirectUri}?code=the-code&state=${STATE}`);
    assert.equal(real.status, 200);
    assert.match(await real.text(), /You are signed in/);
    assert.equal((await lb.result).get('code'), 'the-code');
  } finally {
    await lb.close();
  }
});

test('a redirect with the right state and two codes ends the flow as malformed, not signed in', async () => {
  const lb = await startLoopback({ timeoutMs: 60_000, expectedState: STATE });
  try {
    const page = await fetch(`${lb.redirectUri}?code=a&code=b&state=${STATE}`);
    assert.equal(page.status, 400);
    assert.doesNotMatch(await page.text(), /You are signed in/);
    const err = await lb.result.then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ClientAuthError && err.code === 'invalid_response', String(err));
  } finally {
    await lb.close();
  }
});

test('a raw-socket fuzz neither settles the listener nor throws, and the real redirect still works', async () => {
  const lb = await startLoopback({ timeoutMs: 120_000, expectedState: STATE });
  const progress = track(lb);
  const port = Number(new URL(lb.redirectUri).port);
  const uncaught = watchUncaught();
  try {
    const report = await fuzzServer({ port }, { host: `127.0.0.1:${port}`, seed: 8252, count: 1000, budgetMs: 60_000, paths: ['/', '/?code=x&state=y', '/favicon.ico'] });
    assert.deepEqual(uncaught.errors, [], 'no uncaught exception');
    const bad = report.outcomes.filter((o) => o.status === undefined || o.status >= 500 || o.status === 200);
    assert.deepEqual(bad, [], `every case answered 4xx:\n${describeOutcomes(bad)}`);
    const line = report.outcomes.find((o) => o.case.name === 'protocol-relative "//["');
    assert.equal(line?.status, 400);
    assert.equal(progress.settled, false);
    const real = await fetch(`${lb.redirectUri}?code=the-code&state=${STATE}`);
    assert.equal(real.status, 200);
    assert.equal((await lb.result).get('code'), 'the-code');
  } finally {
    uncaught.stop();
    await lb.close();
  }
});

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});

test('acquireTokenInteractive: a forged redirect first does not fail the sign-in, and its code is never redeemed', async () => {
  const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
  op.resetCounts();
  const redeemed: string[] = [];
  op.tokenHandler = async (req, o) => {
    redeemed.push(req.params.get('code') ?? '');
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(await o.goodTokenBody(req)) };
  };
  // Another local process, knowing the port but not the state, tries to end the sign-in first.
  const script = scriptedRedirect(op, (u): Record<string, string>[] => [{ code: 'forged-code', state: 'guessed' }, { error: 'access_denied' }, goodRedirect(u)]);
  try {
    let browserDone: Promise<void> = Promise.resolve();
    const result = await app.acquireTokenInteractive({ scopes: ['User.Read'], timeoutMs: 60_000, openBrowser: (url) => (browserDone = script(url)) });
    await browserDone; // the engine does not wait for the "browser"
    assert.equal(result.source, 'interactive');
    assert.deepEqual(lastRedirectStatuses, [400, 400, 200]);
    assert.equal(redeemed.length, 1);
    assert.notEqual(redeemed[0], 'forged-code');
    assert.equal(openLoopbacks.size, 0, 'listener closed');
  } finally {
    op.tokenHandler = undefined;
  }
});

test('classifyRedirect for a logout: exactly our state settles it (no code); a wrong or missing state is ignored', () => {
  const logout = (target: string) => classifyRedirect({ method: 'GET', target, hosts: ['127.0.0.1:5000'] }, { port: 5000, state: STATE, expect: 'logout' });
  assert.equal(logout(`/?state=${STATE}`).kind, 'redirect');
  assert.equal(logout(`/?state=${STATE}`).page.title, 'You are signed out');
  assert.equal(logout('/?state=wrong').kind, 'ignore');
  assert.equal(logout('/').kind, 'ignore');
  assert.equal(logout(`/other?state=${STATE}`).kind, 'ignore');
});

test('strictPort: a taken preferred port fails at once with loopback_port_unavailable naming the port; free, it is used', async () => {
  const holder = await startLoopback({ timeoutMs: 30_000, expectedState: 'holder' });
  const taken = Number(new URL(holder.redirectUri).port);
  try {
    const err = await startLoopback({ preferredPort: taken, strictPort: true, timeoutMs: 30_000, expectedState: 's' }).catch((e: unknown) => e);
    assert.ok(err instanceof ClientAuthError, String(err));
    assert.equal(err.code, 'loopback_port_unavailable');
    assert.match(err.message, new RegExp(`\\b${taken}\\b`));
    // Without strictPort the listener moves to another port, as before.
    const moved = await startLoopback({ preferredPort: taken, timeoutMs: 30_000, expectedState: 's' });
    assert.notEqual(Number(new URL(moved.redirectUri).port), taken);
    await moved.close();
    const noPort = await startLoopback({ strictPort: true, timeoutMs: 30_000, expectedState: 's' }).catch((e: unknown) => e);
    assert.ok(noPort instanceof ClientAuthError && noPort.code === 'invalid_argument', String(noPort));
  } finally {
    await holder.close();
  }
  const free = await startLoopback({ preferredPort: taken, strictPort: true, timeoutMs: 30_000, expectedState: 's' });
  assert.equal(free.redirectUri, `http://127.0.0.1:${taken}/`);
  await free.close();
  assert.equal(openLoopbacks.size, 0);
});

test('acquireTokenInteractive with strictPort on a taken port: loopback_port_unavailable before any browser opens', async () => {
  const holder = await startLoopback({ timeoutMs: 30_000, expectedState: 'holder' });
  const taken = Number(new URL(holder.redirectUri).port);
  try {
    const pca = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
    let opened = false;
    const err = await pca
      .acquireTokenInteractive({ scopes: ['User.Read'], preferredPort: taken, strictPort: true, timeoutMs: 30_000, openBrowser: () => void (opened = true) })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ClientAuthError, String(err));
    assert.equal(err.code, 'loopback_port_unavailable');
    assert.equal(opened, false);
  } finally {
    await holder.close();
  }
});
