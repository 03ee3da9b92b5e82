// A misbehaving server: every bad response gives its documented error and leaves the cache unchanged.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startHostileOp, scriptedRedirect, goodRedirect, lastRedirectStatuses, type HostileOp, type RawResponse, type TokenRequest } from '../../../testkit/hostile-op.js';
import { PublicClientApplication, ClientAuthError, ServerError, InteractionRequiredAuthError, AuthError } from '../index.js';
import { openLoopbacks } from '../flows/loopback.js';
import { capturingLogger } from './helpers.js';

let op: HostileOp;
before(async () => {
  op = await startHostileOp();
});
after(async () => {
  await op?.stop();
});

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jsonResponse = (body: unknown, status = 200): RawResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const now = () => Math.floor(Date.now() / 1000);

type Row = {
  name: string;
  token?: (req: TokenRequest, op: HostileOp) => Promise<RawResponse> | RawResponse;
  redirect?: (u: URL) => Array<Record<string, string>> | Record<string, string>;
  error: new (...a: never[]) => AuthError;
  code: string;
  extra?: (err: AuthError) => void;
};

const good = async (req: TokenRequest, o: HostileOp, overrides?: Parameters<HostileOp['goodTokenBody']>[1]) => jsonResponse(await o.goodTokenBody(req, overrides));

const rows: Row[] = [
  { name: 'invalid JSON', token: () => ({ headers: { 'content-type': 'application/json' }, body: '{"access_token": "at", oops' }), error: ClientAuthError, code: 'invalid_json' },
  { name: 'wrong iss', token: (r, o) => good(r, o, { claims: { iss: `${o.origin}/someone-else/v2.0` } }), error: ClientAuthError, code: 'id_token_issuer_mismatch' },
  { name: 'wrong aud', token: (r, o) => good(r, o, { claims: { aud: 'another-client' } }), error: ClientAuthError, code: 'id_token_audience_mismatch' },
  { name: 'wrong nonce', token: (r, o) => good(r, o, { claims: { nonce: 'not-the-nonce' } }), error: ClientAuthError, code: 'nonce_mismatch' },
  { name: 'expired ID token', token: (r, o) => good(r, o, { claims: { iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 } }), error: ClientAuthError, code: 'id_token_expired' },
  { name: 'future ID token (nbf)', token: (r, o) => good(r, o, { claims: { iat: now() + 3600, nbf: now() + 3600, exp: now() + 7200 } }), error: ClientAuthError, code: 'id_token_not_yet_valid' },
  { name: 'future ID token (iat only)', token: (r, o) => good(r, o, { claims: { iat: now() + 3600, nbf: undefined, exp: now() + 7200 } }), error: ClientAuthError, code: 'id_token_not_yet_valid' },
  {
    name: 'alg: none',
    token: async (r, o) => {
      const body = await o.goodTokenBody(r);
      const payload = (body.id_token as string).split('.')[1];
      return jsonResponse({ ...body, id_token: `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.` });
    },
    error: ClientAuthError,
    code: 'id_token_unsupported_alg',
  },
  {
    name: 'HS256 signed with the public client id',
    token: async (r, o) => {
      const body = await o.goodTokenBody(r);
      const { SignJWT } = await import('jose');
      const claims = JSON.parse(Buffer.from((body.id_token as string).split('.')[1] as string, 'base64url').toString());
      const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(o.clientId.padEnd(32, 'x')));
      return jsonResponse({ ...body, id_token: hs });
    },
    error: ClientAuthError,
    code: 'id_token_unsupported_alg',
  },
  {
    name: 'bad signature',
    token: async (r, o) => {
      const body = await o.goodTokenBody(r);
      const [h, p, s] = (body.id_token as string).split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
      const tampered = b64({ ...claims, name: 'Mallory' });
      return jsonResponse({ ...body, id_token: `${h}.${tampered}.${s}` });
    },
    error: ClientAuthError,
    code: 'id_token_invalid_signature',
  },
  {
    name: 'unknown kid',
    token: async (r, o) => good(r, o, { key: await o.newKey('never-published') }),
    error: ClientAuthError,
    code: 'id_token_unknown_kid',
    extra: () => assert.equal(op.counts['discovery/v2.0/keys'], 1, 'keys re-fetched exactly once'),
  },
  {
    name: 'missing access_token',
    token: async (r, o) => {
      const { access_token: _drop, ...rest } = await o.goodTokenBody(r);
      return jsonResponse(rest);
    },
    error: ClientAuthError,
    code: 'missing_access_token',
  },
  {
    name: '10 MB body',
    token: () => ({ headers: { 'content-type': 'application/json' }, body: Buffer.alloc(10 * 1024 * 1024, 0x20) }),
    error: ClientAuthError,
    code: 'response_too_large',
  },
  {
    name: 'HTML error page with HTTP 500',
    token: () => ({ status: 500, headers: { 'content-type': 'text/html' }, body: '<h1>oops</h1>' }),
    error: ServerError,
    code: 'unexpected_response',
  },
  {
    name: 'OAuth error on the code redemption',
    token: () => jsonResponse({ error: 'invalid_grant', error_description: 'AADSTS54005: code already redeemed', correlation_id: 'c-42' }, 400),
    error: InteractionRequiredAuthError,
    code: 'invalid_grant',
  },
  {
    name: 'error=constructor (a name Object.prototype has)',
    token: () => jsonResponse({ error: 'constructor', error_description: 'x' }, 400),
    error: ServerError,
    code: 'constructor',
  },
  {
    name: 'error=__proto__',
    token: () => jsonResponse({ error: '__proto__' }, 400),
    error: ServerError,
    code: '__proto__',
  },
  {
    name: 'a 200 KB error code, description and correlation id are cut where they enter the engine',
    token: () => jsonResponse({ error: 'E'.repeat(200_000), error_description: 'D'.repeat(200_000), correlation_id: 'C'.repeat(200_000), error_uri: `https://x/${'U'.repeat(200_000)}` }, 400),
    error: ServerError,
    code: 'E'.repeat(64),
    extra: (err) => {
      const e = err as ServerError;
      assert.equal(e.correlationId, 'C'.repeat(128));
      assert.ok((e.errorDescription ?? '').length <= 300);
      assert.ok(e.message.length < 500, `message is ${e.message.length} characters`);
      assert.doesNotMatch(JSON.stringify({ ...e, message: e.message }), /U{100}/, 'error_uri is not kept');
    },
  },
  {
    name: 'an error code with quotes, spaces and control characters keeps only its code characters',
    token: () => jsonResponse({ error: 'temporarily_unavailable"\r\n <b>', correlation_id: 'c-1\r\nSet-Cookie: x' }, 400),
    error: ServerError,
    code: 'temporarily_unavailable<b>',
    extra: (err) => assert.equal((err as ServerError).correlationId, 'c-1 Set-Cookie: x'),
  },
  {
    name: 'a hostile suberror is cut like a code',
    token: () => jsonResponse({ error: 'invalid_grant', suberror: 'bad_token\u0000'.repeat(100) }, 400),
    error: InteractionRequiredAuthError,
    code: 'invalid_grant',
    extra: (err) => assert.equal((err as InteractionRequiredAuthError).subError, 'bad_token'.repeat(8).slice(0, 64)),
  },
  // A redirect with a wrong state does not end the flow at all: see loopback.test.ts.
  {
    name: 'error redirect followed by a second redirect carrying a code',
    redirect: (u) => [
      { error: 'access_denied', error_description: 'The user declined', state: u.searchParams.get('state') ?? '' },
      goodRedirect(u),
    ],
    error: ServerError,
    code: 'access_denied',
    extra: () => {
      assert.equal(op.counts['oauth2/v2.0/token'] ?? 0, 0, 'the second redirect was never redeemed');
      assert.ok(lastRedirectStatuses[1] === 409 || lastRedirectStatuses[1] === 0, `second redirect refused (${lastRedirectStatuses[1]})`);
    },
  },
];

describe('hostile token and redirect responses', () => {
  let app: PublicClientApplication;
  let snapshot: string;
  const logger = capturingLogger();

  before(async () => {
    app = await PublicClientApplication.create({
      auth: { clientId: op.clientId, authority: op.authority() },
      system: { trustedCaPem: op.caCertPem, logger },
    });
    // One good sign-in first, so "unchanged" means something.
    op.tokenHandler = undefined;
    await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
    snapshot = app.getTokenCache().serialize();
    assert.equal(Object.keys(JSON.parse(snapshot).AccessToken).length, 1);
  });

  for (const row of rows) {
    test(row.name, async () => {
      op.resetCounts();
      op.tokenHandler = row.token;
      try {
        const script = scriptedRedirect(op, row.redirect ?? goodRedirect);
        let browserDone: Promise<void> = Promise.resolve();
        const err = await app
          .acquireTokenInteractive({ scopes: ['User.Read', 'Mail.Read'], openBrowser: (url) => (browserDone = script(url)) })
          .then(() => undefined, (e: unknown) => e);
        await browserDone; // the engine does not wait for the "browser"; the assertions below do
        assert.ok(err instanceof row.error, `expected ${row.error.name}, got ${String(err)}`);
        assert.equal((err as AuthError).code, row.code);
        assert.equal(app.getTokenCache().serialize(), snapshot, 'cache unchanged');
        assert.equal(openLoopbacks.size, 0, 'listener closed');
        assert.doesNotMatch(`${String(err)} ${JSON.stringify(err)} ${String((err as Error).cause)}`, /eyJ|at-[0-9a-f]{8}|rt-[0-9a-f]{8}|code-[0-9a-f]{8}/, 'no token or code in the error');
        row.extra?.(err as AuthError);
      } finally {
        op.tokenHandler = undefined;
      }
    });
  }

  test('a second redirect while the first is being redeemed is refused and never redeemed', async () => {
    op.resetCounts();
    let release!: () => void;
    const secondDone = new Promise<void>((r) => (release = r));
    const redeemed: string[] = [];
    op.tokenHandler = async (req, o) => {
      redeemed.push(req.params.get('code') ?? '');
      await secondDone;
      return jsonResponse(await o.goodTokenBody(req));
    };
    const first = { code: 'code-first', state: '' };
    const script = scriptedRedirect(op, (u) => {
      first.state = u.searchParams.get('state') ?? '';
      return [first, { code: 'code-second', state: first.state }];
    });
    try {
      const result = await app.acquireTokenInteractive({
        scopes: ['User.Read'],
        openBrowser: async (url) => {
          await script(url);
          release();
        },
      });
      assert.equal(result.source, 'interactive');
      assert.deepEqual(redeemed, ['code-first']);
      assert.deepEqual(lastRedirectStatuses, [200, 409]);
      assert.equal(openLoopbacks.size, 0);
      snapshot = app.getTokenCache().serialize();
    } finally {
      op.tokenHandler = undefined;
    }
  });

  test('no log line carries a token', () => {
    const all = logger.lines.join('\n');
    assert.doesNotMatch(all, /eyJ|at-[0-9a-f]{8}|rt-[0-9a-f]{8}/);
  });
});

test('a rotated signing key is picked up by one JWKS re-fetch', async () => {
  const app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
  await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  const rotated = await op.newKey('key-2');
  op.publishedKeys.push(rotated);
  op.resetCounts();
  op.tokenHandler = (r, o) => good(r, o, { key: rotated });
  try {
    const result = await app.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
    assert.equal(result.source, 'interactive');
    assert.equal(op.counts['discovery/v2.0/keys'], 1);
  } finally {
    op.tokenHandler = undefined;
    op.publishedKeys.pop();
  }
});

describe('hostile device authorization responses', () => {
  const deviceBody = (overrides: Record<string, unknown>) =>
    jsonResponse({ device_code: 'dc-hostile', user_code: 'ABCD-EFGH', verification_uri: `${op.origin}/device`, expires_in: 600, interval: 1, ...overrides });
  const refusedRows: Array<[string, Record<string, unknown>]> = [
    ['verification_uri javascript:alert(1)', { verification_uri: 'javascript:alert(1)' }],
    ['verification_uri http://evil.example/', { verification_uri: 'http://evil.example/' }],
    ['verification_uri data:', { verification_uri: 'data:text/html,<script>alert(1)</script>' }],
    ['verification_uri with credentials', { verification_uri: 'https://user:pw@evil.example/' }],
    ['verification_uri_complete javascript:', { verification_uri_complete: 'javascript:alert(1)//?code=ABCD' }],
    ['verification_uri_complete http://evil.example/', { verification_uri_complete: 'http://evil.example/?code=ABCD' }],
    ['a user_code too long to be one', { user_code: 'A'.repeat(65) }],
    ['an expires_in no timer can hold', { expires_in: 1e12 }],
  ];
  let polls = 0;
  const shown: unknown[] = [];
  let app: PublicClientApplication;
  before(async () => {
    app = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
    op.tokenHandler = async (req, o) => {
      polls++;
      return jsonResponse(await o.goodTokenBody(req));
    };
  });
  after(() => {
    op.tokenHandler = undefined;
    op.deviceHandler = undefined;
  });

  for (const [name, overrides] of refusedRows) {
    test(`${name}: refused before anything is shown or polled`, async () => {
      op.deviceHandler = () => deviceBody(overrides);
      const err = await app.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: (info) => shown.push(info) }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ClientAuthError, `expected ClientAuthError, got ${String(err)}`);
      assert.equal(err.code, 'invalid_device_code_response');
      assert.doesNotMatch(err.message, /evil|javascript|alert|data:/, 'the hostile value is not echoed');
      assert.deepEqual(shown, []);
      assert.equal(polls, 0);
    });
  }

  test('no poll request is made after a refusal, even once the interval has passed', async () => {
    await new Promise((r) => setTimeout(r, 2500)); // 2.5 × the 1 s interval the responses asked for
    assert.equal(polls, 0);
    assert.deepEqual(shown, []);
  });

  test('https, and http on loopback only, are shown; an over-long message is replaced by ours', async () => {
    const accepted: Array<Record<string, unknown>> = [
      { verification_uri_complete: `${op.origin}/device?code=ABCD-EFGH` },
      { verification_uri: 'http://127.0.0.1:5443/device', message: 'M'.repeat(5000) },
      { verification_uri: 'http://localhost/device' },
    ];
    for (const overrides of accepted) {
      op.deviceHandler = () => deviceBody(overrides);
      const controller = new AbortController();
      const infos: Array<{ verificationUri: string; message: string }> = [];
      const err = await app
        .acquireTokenByDeviceCode({ scopes: ['User.Read'], signal: controller.signal, deviceCodeCallback: (info) => (infos.push(info), controller.abort()) })
        .then(() => undefined, (e: unknown) => e);
      assert.equal((err as AuthError | undefined)?.code, 'user_cancelled');
      assert.equal(infos.length, 1);
      const uri = (overrides.verification_uri as string | undefined) ?? `${op.origin}/device`;
      assert.equal(infos[0]!.verificationUri, uri);
      assert.equal(infos[0]!.message, `To sign in, open ${uri} and enter the code ABCD-EFGH.`);
    }
  });
});
