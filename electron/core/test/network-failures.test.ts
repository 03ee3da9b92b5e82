// The network misbehaving under the engine: Retry-After (429 / 503, seconds and HTTP-date), 5xx,
// connection resets, a server that never answers, a body that drips. Each ends in its typed error
// within its bound, with the cache unchanged and exactly the requests the retry rules allow, counted
// at the server: one retry for a refresh or a discovery, none for a code redemption.
import { test, before, after, beforeEach, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startHostileOp, scriptedRedirect, goodRedirect, type HostileOp, type ScriptedResponse } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, ServerError, NetworkError, TimeoutError, type AccountInfo, type AuthError } from '../index.js';

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});
beforeEach(() => {
  op.tokenHandler = undefined;
  op.routeHandler = undefined;
  op.resetCounts();
});

const TOKEN = 'oauth2/v2.0/token';
const DISCOVERY = 'v2.0/.well-known/openid-configuration';
const json = (body: unknown, status: number, headers: Record<string, string> = {}): ScriptedResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const REQUEST_TIMEOUT_MS = 1_000;

/** A client signed in once (so there is a cache to keep unchanged and a refresh token to use). */
async function signedIn(): Promise<{ app: PublicClientApplication; account: AccountInfo; snapshot: string }> {
  const app = await PublicClientApplication.create({
    auth: { clientId: op.clientId, authority: op.authority() },
    system: { trustedCaPem: op.caCertPem, requestTimeoutMs: REQUEST_TIMEOUT_MS },
  });
  const result = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  op.resetCounts();
  return { app, account: result.account!, snapshot: app.getTokenCache().serialize() };
}

const refresh = (app: PublicClientApplication, account: AccountInfo) =>
  app.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true }).then(
    () => undefined,
    (e: unknown) => e as AuthError,
  );
const interactive = (app: PublicClientApplication) =>
  app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) }).then(
    () => undefined,
    (e: unknown) => e as AuthError,
  );

/** Elapsed wall time of `fn`, for the generous upper bounds below (never a lower bound). */
async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = Date.now();
  const value = await fn();
  return [value, Date.now() - start];
}

describe('Retry-After', () => {
  test('429 with Retry-After in seconds: throttled, then no request at all until then, then requests again', async () => {
    const { app, account, snapshot } = await signedIn();
    op.tokenHandler = () => json({ error: 'temporarily_unavailable' }, 429, { 'retry-after': '1' });
    const before = Date.now();
    const err = await refresh(app, account);
    assert.ok(err instanceof ServerError, `got ${String(err)}`);
    assert.equal(err.code, 'throttled');
    assert.equal(err.status, 429);
    assert.ok(err.retryAfter instanceof Date);
    assert.ok(err.retryAfter.getTime() >= before + 1000 && err.retryAfter.getTime() <= Date.now() + 1000, 'retryAfter is one second after the response');
    assert.match(err.message, /try again after \d{4}-\d\d-\d\dT/);
    assert.equal(op.counts[TOKEN], 1, 'a 429 is not retried');

    // Before Retry-After: fails fast with the same error, and the server sees nothing.
    const again = await refresh(app, account);
    assert.ok(again instanceof ServerError && again.code === 'throttled');
    assert.equal(again.retryAfter?.getTime(), err.retryAfter.getTime());
    assert.equal(op.counts[TOKEN], 1, 'no request before Retry-After');
    assert.equal(app.getTokenCache().serialize(), snapshot, 'cache unchanged');

    // After it: the next refresh goes out and succeeds.
    op.tokenHandler = undefined;
    await new Promise((r) => setTimeout(r, Math.max(0, err.retryAfter!.getTime() - Date.now()) + 100));
    const result = await app.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true });
    assert.equal(result.source, 'refresh');
    assert.equal(op.counts[TOKEN], 2);
  });

  test('503 with Retry-After as an HTTP-date on the code redemption: throttled, one request, cache unchanged', async () => {
    const { app, snapshot } = await signedIn();
    const at = new Date(Date.now() + 5_000);
    op.tokenHandler = () => json({ error: 'temporarily_unavailable' }, 503, { 'retry-after': at.toUTCString() });
    const err = await interactive(app);
    assert.ok(err instanceof ServerError, `got ${String(err)}`);
    assert.equal(err.code, 'throttled');
    assert.equal(err.status, 503);
    assert.equal(err.retryAfter?.getTime(), Math.floor(at.getTime() / 1000) * 1000, 'the date the server named (HTTP-dates have whole seconds)');
    assert.equal(op.counts[TOKEN], 1);
    assert.equal(app.getTokenCache().serialize(), snapshot);
    // The next sign-in's redemption (same client, endpoint and scopes) is not sent before that date.
    const again = await interactive(app);
    assert.ok(again instanceof ServerError && again.code === 'throttled');
    assert.equal(op.counts[TOKEN], 1);
  });

  test('a throttle is per request key: another scope set still goes out', async () => {
    const { app, account } = await signedIn();
    op.tokenHandler = () => json({ error: 'temporarily_unavailable' }, 429, { 'retry-after': '30' });
    assert.equal((await refresh(app, account))?.code, 'throttled');
    op.tokenHandler = undefined;
    const other = await app.acquireTokenSilent({ account, scopes: ['Mail.Read'], forceRefresh: true });
    assert.equal(other.source, 'refresh');
    assert.equal(op.counts[TOKEN], 2);
  });

  test('429 on discovery: throttled, and discovery is not asked again before Retry-After', async () => {
    const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
    op.routeHandler = (name) => (name === DISCOVERY ? json({}, 429, { 'retry-after': '60' }) : undefined);
    const first = await interactive(app);
    const second = await interactive(app);
    assert.equal(first?.code, 'throttled');
    assert.equal(second?.code, 'throttled');
    assert.equal(op.counts[DISCOVERY], 1);
    assert.equal(op.counts[TOKEN] ?? 0, 0);
  });
});

describe('transient failures: one retry where the request can be repeated', () => {
  test('503 without Retry-After: a refresh is sent twice, then fails with the server error', async () => {
    const { app, account, snapshot } = await signedIn();
    op.tokenHandler = () => json({ error: 'temporarily_unavailable' }, 503);
    const err = await refresh(app, account);
    assert.ok(err instanceof ServerError, `got ${String(err)}`);
    assert.equal(err.code, 'unexpected_response', 'oauth4webapi: a 5xx is not an OAuth error response');
    assert.equal(op.counts[TOKEN], 2);
    assert.equal(app.getTokenCache().serialize(), snapshot);
  });

  test('503 once, then fine: the retried refresh succeeds', async () => {
    const { app, account } = await signedIn();
    let n = 0;
    op.tokenHandler = async (req, o) => (++n === 1 ? json({ error: 'temporarily_unavailable' }, 503) : json(await o.goodTokenBody(req), 200));
    const result = await app.acquireTokenSilent({ account, scopes: ['User.Read'], forceRefresh: true });
    assert.equal(result.source, 'refresh');
    assert.equal(op.counts[TOKEN], 2);
  });

  test('503 without Retry-After on the code redemption: never repeated (the code is single-use)', async () => {
    const { app, snapshot } = await signedIn();
    op.tokenHandler = () => json({ error: 'temporarily_unavailable' }, 503);
    const err = await interactive(app);
    assert.ok(err instanceof ServerError, `got ${String(err)}`);
    assert.equal(op.counts[TOKEN], 1);
    assert.equal(app.getTokenCache().serialize(), snapshot);
  });

  test('connection reset: a refresh is retried once, then NetworkError; a redemption is not retried', async () => {
    const { app, account, snapshot } = await signedIn();
    op.tokenHandler = () => ({ reset: true });
    const err = await refresh(app, account);
    assert.ok(err instanceof NetworkError, `got ${String(err)}`);
    assert.equal(err.code, 'network_error');
    assert.equal(op.counts[TOKEN], 2);

    op.resetCounts();
    const redeem = await interactive(app);
    assert.ok(redeem instanceof NetworkError, `got ${String(redeem)}`);
    assert.equal(op.counts[TOKEN], 1);
    assert.equal(app.getTokenCache().serialize(), snapshot);
  });

  test('connection reset on discovery: retried once, and the retry succeeds', async () => {
    const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
    let n = 0;
    op.routeHandler = (name) => (name === DISCOVERY && ++n === 1 ? { reset: true } : undefined);
    const result = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
    assert.equal(result.source, 'interactive');
    assert.equal(op.counts[DISCOVERY], 2);
  });
});

describe('timeouts: every request has a deadline', () => {
  test('a token endpoint that never answers: TimeoutError after the deadline (twice for a refresh)', async () => {
    const { app, account, snapshot } = await signedIn();
    op.tokenHandler = () => ({ hang: true });
    const [err, ms] = await timed(() => refresh(app, account));
    assert.ok(err instanceof TimeoutError, `got ${String(err)}`);
    assert.equal(err.code, 'request_timed_out');
    assert.equal(op.counts[TOKEN], 2);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.equal(app.getTokenCache().serialize(), snapshot);
  });

  test('a code redemption that never answers: one request, TimeoutError', async () => {
    const { app, snapshot } = await signedIn();
    op.tokenHandler = () => ({ hang: true });
    const [err, ms] = await timed(() => interactive(app));
    assert.ok(err instanceof TimeoutError, `got ${String(err)}`);
    assert.equal(err.code, 'request_timed_out');
    assert.equal(op.counts[TOKEN], 1);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.equal(app.getTokenCache().serialize(), snapshot);
  });

  test('a slow drip (a byte every 100 ms, forever) is cut off by the total deadline, not reset by each byte', async () => {
    const { app, snapshot } = await signedIn();
    op.tokenHandler = () => ({ drip: { intervalMs: 100 } });
    const [err, ms] = await timed(() => interactive(app));
    assert.ok(err instanceof TimeoutError, `got ${String(err)}`);
    assert.equal(err.code, 'request_timed_out');
    assert.equal(op.counts[TOKEN], 1);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.equal(app.getTokenCache().serialize(), snapshot);
  });

  test('JWKS that never answers: TimeoutError, retried once (a GET can be repeated)', async () => {
    const app = await PublicClientApplication.create({
      auth: { clientId: op.clientId, authority: op.authority() },
      system: { trustedCaPem: op.caCertPem, requestTimeoutMs: REQUEST_TIMEOUT_MS },
    });
    op.routeHandler = (name) => (name === 'discovery/v2.0/keys' ? { hang: true } : undefined);
    const [err, ms] = await timed(() => interactive(app));
    assert.ok(err instanceof TimeoutError, `got ${String(err)}`);
    assert.equal(op.counts['discovery/v2.0/keys'], 2);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    assert.equal(Object.keys(JSON.parse(app.getTokenCache().serialize()).AccessToken ?? {}).length, 0);
  });
});
