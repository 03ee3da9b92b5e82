// The RFC 8252 loopback redirect listener: bound to 127.0.0.1 only (never all interfaces), on an
// ephemeral port unless a preferred one is free. Any local process (or a web page, through DNS
// rebinding) can send it requests, so only the redirect of this sign-in counts: the right Host, the
// path, and exactly the `state` the authorization request carried. Everything else is answered and
// ignored, and the listener keeps waiting. The listener, its sockets, the timeout timer and the abort
// listener are all gone once the flow settles, whichever way.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { ClientAuthError, ClientAuthErrorCode as C, TimeoutError, UserCancelError } from '../errors.js';
import { redirectPage } from './redirect-page.js';

export interface LoopbackOptions {
  preferredPort?: number | undefined;
  /**
   * For servers that compare redirect URIs as exact strings (against RFC 8252 §7.3): the preferred port
   * or nothing. Without it a taken port quietly becomes an ephemeral one, which such a server rejects
   * only after the user has signed in (or never redirects at all).
   */
  strictPort?: boolean | undefined;
  /** What comes back: an authorization response (code or error, the default) or an RP-initiated logout's (state only). */
  expect?: 'authorization' | 'logout';
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** The `state` of the authorization request: only a redirect carrying exactly this one settles the flow. */
  expectedState: string;
}

export interface Loopback {
  redirectUri: string;
  /** The redirect's query parameters (one `code` or one `error`, and the state); rejects on timeout, abort, `fail` or a malformed redirect. */
  result: Promise<URLSearchParams>;
  /** Make `result` reject (e.g. the browser could not be opened). */
  fail(err: unknown): void;
  close(): Promise<void>;
}

export interface IncomingRedirect {
  method: string | undefined;
  /** The request-target as received (`req.url`). */
  target: string | undefined;
  /** Every Host header value, from the raw headers (Node keeps only the first in `req.headers`). */
  hosts: readonly string[];
}

interface Page {
  status: number;
  ok: boolean;
  title: string;
  detail: string;
}

/** What one request means: answer and keep listening, or answer and settle the flow. */
export type RedirectDecision =
  | { kind: 'ignore'; page: Page }
  | { kind: 'redirect'; page: Page; params: URLSearchParams }
  | { kind: 'malformed'; page: Page };

const ONLY_REDIRECT = 'This address only receives the sign-in redirect.';

/** Decide a request from its parts alone (pure, unit-tested): the listener only acts on the result. */
export function classifyRedirect(req: IncomingRedirect, expected: { port: number; state: string; expect?: 'authorization' | 'logout' }): RedirectDecision {
  const ignore = (status: number, title: string, detail: string): RedirectDecision => ({ kind: 'ignore', page: { status, ok: false, title, detail } });
  // The target is read as a string, never through `new URL` (which throws on `//[`): a plain path
  // (origin-form, not `//host`, `/\host`, `*` or `http://…`), and only `/` is the redirect.
  const target = req.target ?? '';
  if (!/^\/(?![/\\])/.test(target)) return ignore(400, 'Bad request', ONLY_REDIRECT);
  // DNS rebinding: a page on another name that resolves to 127.0.0.1 sends its own name as Host.
  const ownHosts = [`127.0.0.1:${expected.port}`, `localhost:${expected.port}`];
  if (req.hosts.length !== 1 || !ownHosts.includes(req.hosts[0]!.toLowerCase())) return ignore(400, 'Wrong address', ONLY_REDIRECT);
  const query = target.indexOf('?');
  const path = query === -1 ? target : target.slice(0, query);
  if (req.method !== 'GET' || path !== '/') return ignore(404, 'Not found', ONLY_REDIRECT);

  const params = new URLSearchParams(query === -1 ? '' : target.slice(query + 1));
  const states = params.getAll('state');
  if (states.length !== 1 || !sameSecret(states[0]!, expected.state)) {
    return ignore(400, 'Sign-in not accepted', 'This response does not belong to the sign-in the app started. Return to the app and try again.');
  }
  if (expected.expect === 'logout') {
    // RP-Initiated Logout §3: the redirect carries only the state we sent.
    return { kind: 'redirect', params, page: { status: 200, ok: true, title: 'You are signed out', detail: 'You can close this window and return to the app.' } };
  }
  const codes = params.getAll('code');
  const errors = params.getAll('error');
  if (codes.length === 1 && errors.length === 0 && codes[0]) {
    return { kind: 'redirect', params, page: { status: 200, ok: true, title: 'You are signed in', detail: 'You can close this window and return to the app.' } };
  }
  if (errors.length === 1 && codes.length === 0 && errors[0]) {
    const detail = `The identity provider reported: ${errors[0]}. Return to the app for details.`;
    return { kind: 'redirect', params, page: { status: 400, ok: false, title: 'Sign-in failed', detail } };
  }
  return { kind: 'malformed', page: { status: 400, ok: false, title: 'Sign-in not accepted', detail: 'The response to this sign-in was malformed. Return to the app and try again.' } };
}

/** Compare without leaking, through timing, how much of a guessed state was right. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hostHeaders(rawHeaders: readonly string[]): string[] {
  const hosts: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') hosts.push(rawHeaders[i + 1]!);
  return hosts;
}

/** Open listeners, for tests asserting nothing is left behind. */
export const openLoopbacks = new Set<http.Server>();

export async function startLoopback(options: LoopbackOptions): Promise<Loopback> {
  if (!options.expectedState) throw new ClientAuthError(C.invalidArgument, 'The loopback listener needs the expected state');
  const sockets = new Set<Socket>();
  let settled = false;
  let resolve!: (p: URLSearchParams) => void;
  let reject!: (e: unknown) => void;
  const result = new Promise<URLSearchParams>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => undefined); // the flow awaits it; avoid an unhandled rejection if it never does

  let port = 0;
  const server = http.createServer((req, res) => {
    const send = (page: Page) => {
      res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      res.end(redirectPage(page.ok, page.title, page.detail));
    };
    const decision = classifyRedirect(
      { method: req.method, target: req.url, hosts: hostHeaders(req.rawHeaders) },
      { port, state: options.expectedState, ...(options.expect ? { expect: options.expect } : {}) },
    );
    if (decision.kind === 'ignore') return send(decision.page);
    if (settled) {
      // Exactly one redirect completes a sign-in; a second one (replayed or injected) is refused.
      return send({ status: 409, ok: false, title: 'Already handled', detail: 'This sign-in has already been completed. You can close this window.' });
    }
    send(decision.page);
    if (decision.kind === 'redirect') finish(() => resolve(decision.params));
    else finish(() => reject(new ClientAuthError(C.invalidResponse, 'The sign-in redirect was malformed: it must carry exactly one code or one error')));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (at: number) =>
    new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen({ host: '127.0.0.1', port: at }, () => {
        server.off('error', rej);
        res();
      });
    });
  if (options.strictPort && !options.preferredPort) {
    throw new ClientAuthError(C.invalidArgument, 'strictPort needs a preferredPort');
  }
  if (options.preferredPort) {
    try {
      await listen(options.preferredPort);
    } catch (err) {
      if (options.strictPort) {
        throw new ClientAuthError(C.loopbackPortUnavailable, `The sign-in redirect port ${options.preferredPort} on 127.0.0.1 is in use by another program`, { cause: err });
      }
      await listen(0); // taken: an ephemeral port is as good (RFC 8252 §7.3 allows any port)
    }
  } else {
    await listen(0);
  }
  openLoopbacks.add(server);
  port = (server.address() as AddressInfo).port;

  const timer = setTimeout(() => finish(() => reject(new TimeoutError('The sign-in was not completed in time'))), options.timeoutMs);
  const onAbort = () => finish(() => reject(new UserCancelError('The sign-in was cancelled', { cause: options.signal?.reason })));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  function finish(action: () => void) {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    action();
  }

  let closing: Promise<void> | undefined;
  return {
    redirectUri: `http://127.0.0.1:${port}/`,
    result,
    fail: (err) => finish(() => reject(err)),
    close() {
      finish(() => reject(new UserCancelError('The sign-in was closed')));
      closing ??= new Promise<void>((res) => {
        server.close(() => {
          openLoopbacks.delete(server);
          res();
        });
        // Let the response just written flush, then drop keep-alive sockets so close() completes.
        server.closeIdleConnections();
        setImmediate(() => {
          for (const s of sockets) s.destroy();
        });
      });
      return closing;
    },
  };
}
