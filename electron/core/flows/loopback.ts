// The RFC 8252 loopback redirect listener: bound to 127.0.0.1 only (never all interfaces), on an
// ephemeral port unless a preferred one is free. It accepts exactly one redirect; the listener, its
// sockets, the timeout timer and the abort listener are all gone once the flow settles, whichever way.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TimeoutError, UserCancelError } from '../errors.js';
import { redirectPage } from './redirect-page.js';

export interface LoopbackOptions {
  preferredPort?: number | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Decides what the browser is shown for this redirect (the flow validates it properly afterwards). */
  describe: (params: URLSearchParams) => { ok: boolean; title: string; detail: string };
}

export interface Loopback {
  redirectUri: string;
  /** The first redirect's query parameters; rejects on timeout, abort or `fail`. */
  result: Promise<URLSearchParams>;
  /** Make `result` reject (e.g. the browser could not be opened). */
  fail(err: unknown): void;
  close(): Promise<void>;
}

/** Open listeners, for tests asserting nothing is left behind. */
export const openLoopbacks = new Set<http.Server>();

export async function startLoopback(options: LoopbackOptions): Promise<Loopback> {
  const sockets = new Set<Socket>();
  let settled = false;
  let resolve!: (p: URLSearchParams) => void;
  let reject!: (e: unknown) => void;
  const result = new Promise<URLSearchParams>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => undefined); // the flow awaits it; avoid an unhandled rejection if it never does

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, html: string) => {
      res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' });
      res.end(html);
    };
    if (req.method !== 'GET' || url.pathname !== '/') return send(404, redirectPage(false, 'Not found', 'This address only receives the sign-in redirect.'));
    const p = url.searchParams;
    if (!p.has('code') && !p.has('error') && !p.has('state')) {
      return send(400, redirectPage(false, 'Nothing to do', 'This address only receives the sign-in redirect.'));
    }
    if (settled) {
      // Exactly one redirect completes a sign-in; a second one (replayed or injected) is refused.
      return send(409, redirectPage(false, 'Already handled', 'This sign-in has already been completed. You can close this window.'));
    }
    const page = options.describe(p);
    send(page.ok ? 200 : 400, redirectPage(page.ok, page.title, page.detail));
    finish(() => resolve(p));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (port: number) =>
    new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen({ host: '127.0.0.1', port }, () => {
        server.off('error', rej);
        res();
      });
    });
  if (options.preferredPort) {
    try {
      await listen(options.preferredPort);
    } catch {
      await listen(0); // taken: an ephemeral port is as good (RFC 8252 §7.3 allows any port)
    }
  } else {
    await listen(0);
  }
  openLoopbacks.add(server);
  const port = (server.address() as AddressInfo).port;

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
