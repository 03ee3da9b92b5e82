// The redirect walker against a real HTTP server that plays an IdP's part of the IWA dance.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { createFetch } from '../../http/pinned-fetch.js';
import { runHeadlessAuthorization } from '../headless-authorization.js';

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
let base: string;
const server = createServer((req, res) => {
  const route = routes.get(new URL(req.url!, base).pathname);
  if (route) route(req, res);
  else res.writeHead(404).end();
});
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

const redirectUri = 'http://127.0.0.1:1/callback'; // never contacted: the walker stops at it
const fetch = createFetch();
const redirect = (res: ServerResponse, location: string, cookie?: string) =>
  res.writeHead(302, { location, ...(cookie ? { 'set-cookie': cookie } : {}) }).end();

function idpThatAccepts(token: string): void {
  routes.set('/authorize', (_req, res) => redirect(res, '/interaction/1', 'interaction=abc; Path=/interaction; HttpOnly'));
  routes.set('/interaction/1', (req, res) => {
    if (req.headers.cookie !== 'interaction=abc') return res.writeHead(400).end('lost the cookie');
    if (req.headers.authorization === `Negotiate ${token}`) return redirect(res, `${redirectUri}?code=the-code&state=s1`);
    res.writeHead(401, { 'www-authenticate': 'Negotiate', 'content-type': 'text/html' }).end('<form>password</form>');
  });
}

test('answers the Negotiate challenge and stops at the loopback redirect', async () => {
  idpThatAccepts('dGlja2V0');
  const hosts: string[] = [];
  const final = await runHeadlessAuthorization(new URL(`${base}/authorize`), {
    fetch,
    redirectUri,
    spnego: async (host) => (hosts.push(host), 'dGlja2V0'),
  });
  assert.equal(final.searchParams.get('code'), 'the-code');
  assert.equal(final.searchParams.get('state'), 's1');
  assert.deepEqual(hosts, ['127.0.0.1']);
});

test('a ticket the IdP refuses ends in iwa_rejected, not a loop', async () => {
  idpThatAccepts('the-right-one');
  await assert.rejects(
    runHeadlessAuthorization(new URL(`${base}/authorize`), { fetch, redirectUri, spnego: async () => 'd3Jvbmc=' }),
    { name: 'InteractionRequiredAuthError', code: 'iwa_rejected' },
  );
});

test('a page for a person (password form, consent) stops the flow', async () => {
  routes.set('/authorize', (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<form>consent</form>'));
  await assert.rejects(
    runHeadlessAuthorization(new URL(`${base}/authorize`), { fetch, redirectUri, spnego: async () => 'x' }),
    { name: 'InteractionRequiredAuthError', code: 'interaction_required' },
  );
});

test('a 401 without Negotiate means the IdP does not offer IWA', async () => {
  routes.set('/authorize', (_req, res) => res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end());
  await assert.rejects(
    runHeadlessAuthorization(new URL(`${base}/authorize`), { fetch, redirectUri, spnego: async () => 'x' }),
    { name: 'InteractionRequiredAuthError', code: 'iwa_not_offered' },
  );
});

test('a redirect loop is cut off', async () => {
  routes.set('/authorize', (_req, res) => redirect(res, '/authorize'));
  await assert.rejects(
    runHeadlessAuthorization(new URL(`${base}/authorize`), { fetch, redirectUri, spnego: async () => 'x', maxHops: 5 }),
    { name: 'InteractionRequiredAuthError', code: 'iwa_redirect_loop' },
  );
});

test("Kerberos's own failure reaches the caller unchanged", async () => {
  idpThatAccepts('x');
  const { InteractionRequiredAuthError } = await import('../../errors.js');
  await assert.rejects(
    runHeadlessAuthorization(new URL(`${base}/authorize`), {
      fetch,
      redirectUri,
      spnego: async () => {
        throw new InteractionRequiredAuthError('kerberos_no_ticket', 'No Kerberos ticket');
      },
    }),
    { code: 'kerberos_no_ticket' },
  );
});

test('an abort stops the walk', async () => {
  idpThatAccepts('x');
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(
    runHeadlessAuthorization(new URL(`${base}/authorize`), { fetch, redirectUri, spnego: async () => 'x', signal: controller.signal }),
    { name: 'AbortError' },
  );
});
