// Small helpers for the plain node:http parts of the IdP (outside oidc-provider's Koa app).
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Same cap as oidc-provider's own body parser. */
export const MAX_BODY_BYTES = 56 * 1024;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  readonly code = 'body_too_large';
}

/**
 * The request's URL on `origin`, or undefined when the request line names no plain path of ours:
 * not origin-form (RFC 9112 §3.2.1: `*`, `host:port`, `http://other/…`), a target a URL parser would
 * read as an authority (`//host/…`, `/\host/…`, `//[` — which makes `new URL` throw), or a path that
 * is not valid percent-encoded UTF-8 (which every later decodeURIComponent would throw on). Node's
 * HTTP parser lets all of these through to the handler.
 */
export function parseRequestTarget(target: string | undefined, origin: string): URL | undefined {
  if (!target || !/^\/(?![/\\])/.test(target)) return undefined;
  try {
    const url = new URL(target, origin);
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}

/**
 * Whether the request names this server in exactly one Host header: one of `names` with `port`.
 * oidc-provider builds its endpoint URLs from Host, so anything else would either fail deep inside
 * it (a 500 for `Host: [`) or put another name into discovery and redirects.
 */
export function hostIsOneOf(req: IncomingMessage, names: readonly string[], port: number): boolean {
  const hosts: string[] = [];
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]!.toLowerCase() === 'host') hosts.push(req.rawHeaders[i + 1]!.toLowerCase());
  return hosts.length === 1 && names.some((name) => hosts[0] === `${name}:${port}`);
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req)).toString('utf8'));
}

/** What a page may do beyond the defaults (services on other origins hand over to each other). */
export interface PagePolicy {
  /**
   * Further origins its forms may submit to, redirects after the submission included (Chromium checks
   * form-action on every hop): the authority's login page to the federation service, the federation
   * service's post-back to the authority, and so on.
   */
  formOrigins?: readonly string[];
  /** `'sha256-…'` sources of its inline scripts (the federation post-back's auto-submit). */
  scriptHashes?: readonly string[];
}

/** Pages load nothing from anywhere: say so, so a regression fails in the browser too. */
export function securityHeaders(policy: PagePolicy = {}): Record<string, string> {
  const formAction = ["'self'", ...(policy.formOrigins ?? []), 'http://127.0.0.1:*', 'http://localhost:*'].join(' ');
  const script = policy.scriptHashes?.length ? `; script-src ${policy.scriptHashes.join(' ')}` : '';
  return {
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'${script}; form-action ${formAction}; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

export function sendHtml(res: ServerResponse, status: number, body: string, policy?: PagePolicy): void {
  res.writeHead(status, { ...securityHeaders(policy), 'content-type': 'text/html; charset=utf-8' });
  res.end(body);
}

/** 303: the next request is a GET whatever this one was (a form POST handing over to another origin). */
export function sendRedirect(res: ServerResponse, location: string): void {
  res.writeHead(303, { ...securityHeaders(), location });
  res.end();
}

/** JSON answers echo input (an unknown tenant's name): nosniff keeps a browser from reading one as HTML. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
