// The engine's only HTTP client, on undici, shaped like fetch (oauth4webapi's customFetch, the JWKS
// cache) so flows never see what happens underneath:
//  - trust: on `pinnedHost` exactly `trustedCaPem` (the local IdP's certificate) and nothing else;
//    everywhere else Node's roots + the OS store + `extraCaPem` (trust.ts). Without `pinnedHost`, the
//    pin applies to every host (what `trustedCaPem` alone has always meant). TLS checks are never off.
//  - proxy: `proxyUrl`, else `resolveProxy(url)` (Chromium's answer in the Electron app), else the
//    environment (proxy-choice.ts). Errors name the proxy by host:port, never its credentials.
//  - bounds: the body is capped (a hostile server cannot make us buffer 10 MB of JSON), and every
//    attempt has a total deadline covering connect, headers and the whole body (a slow drip too).
//  - Retry-After (429 / 5xx): no request with the same key until then, failing fast with ServerError
//    `throttled`; transient failures: one retry, for requests that can safely be sent twice
//    (request-policy.ts).
import { Agent, ProxyAgent, request as undiciRequest, type Dispatcher } from 'undici';
import { ClientAuthError, ClientAuthErrorCode, NetworkError, ServerError, TimeoutError, type AuthError } from '../errors.js';
import { idpIdentifier } from '../protocol-errors.js';
import { bypassesProxy, DIRECT, noProxyOf, parsePacAnswer, parseProxyUrl, proxyFromEnv, proxyLabel, type Env, type ProxyChoice } from './proxy-choice.js';
import {
  isRepeatable,
  isThrottlingStatus,
  isTransientStatus,
  parseRetryAfter,
  retryDelayMs,
  throttleKey,
  Throttles,
  type RequestFacts,
} from './request-policy.js';
import { sleep } from '../flows/abortable-sleep.js';
import { trustedRoots } from './trust.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** PEM of the one certificate trusted on `pinnedHost` (the local IdP's, self-signed). */
  trustedCaPem?: string | undefined;
  /** Where the pin applies: a host name or `host:port`. Absent: every host. */
  pinnedHost?: string | undefined;
  /** More CA certificates (PEM) for every other host: the app's `extraCaFile`. */
  extraCaPem?: string | undefined;
  /** An explicit proxy (`http://host:port`, `https://…`, credentials allowed), except NO_PROXY hosts. */
  proxyUrl?: string | undefined;
  /** Chromium's PAC-style answer for a URL (Electron's `session.resolveProxy`). */
  resolveProxy?: ((url: string) => Promise<string>) | undefined;
  /** The environment read for HTTPS_PROXY / HTTP_PROXY / NO_PROXY; `process.env` by default. */
  env?: Env;
  /** Largest body accepted; 1 MiB by default (real token responses are a few KB). */
  maxBodyBytes?: number;
  /** Deadline for one attempt, connect to last body byte; 30 s by default. */
  timeoutMs?: number;
  /** The pause before the one retry (tests make it short); 250–750 ms jittered by default. */
  retryDelayMs?: () => number;
  /** Called once per response (for counters and logging; never sees bodies). */
  onResponse?: (info: { method: string; url: string; status: number }) => void;
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);
export const DEFAULT_TIMEOUT_MS = 30_000;

/** Socket-level failures where the server may simply not have seen (or finished) the request. */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);
/** Failures to reach the next hop at all: through a proxy, that hop is the proxy. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

interface Prepared {
  url: URL;
  method: string;
  headers: Record<string, string>;
  payload: Buffer | undefined;
  facts: RequestFacts;
  signal: AbortSignal | undefined;
}

export function createFetch(options: HttpOptions = {}): FetchLike {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const delay = options.retryDelayMs ?? retryDelayMs;
  const explicitProxy = options.proxyUrl ? parseProxyUrl(options.proxyUrl) : undefined;
  const pinnedHost = options.pinnedHost?.toLowerCase();
  const throttles = new Throttles();
  const dispatchers = new Map<string, Dispatcher>();

  const isPinned = (url: URL): boolean =>
    options.trustedCaPem !== undefined && (pinnedHost === undefined || url.host.toLowerCase() === pinnedHost || url.hostname.toLowerCase() === pinnedHost);

  function dispatcher(choice: ProxyChoice, pinned: boolean): Dispatcher {
    const key = `${choice.kind === 'proxy' ? choice.proxy.href : 'direct'} ${pinned ? 'pinned' : 'roots'}`;
    let d = dispatchers.get(key);
    if (!d) {
      const roots = trustedRoots(options.extraCaPem);
      const originTls = pinned ? { ca: options.trustedCaPem } : roots ? { ca: roots } : {};
      d =
        choice.kind === 'direct'
          ? new Agent({ connect: originTls })
          : new ProxyAgent({ uri: choice.proxy.href, requestTls: originTls, ...(choice.proxy.protocol === 'https:' && roots ? { proxyTls: { ca: roots } } : {}) });
      dispatchers.set(key, d);
    }
    return d;
  }

  async function route(url: URL): Promise<ProxyChoice> {
    const env = options.env ?? process.env;
    if (explicitProxy) return bypassesProxy(url, noProxyOf(env)) ? DIRECT : { kind: 'proxy', proxy: explicitProxy };
    if (options.resolveProxy) {
      let answer: string;
      try {
        answer = await options.resolveProxy(url.href);
      } catch (err) {
        throw new NetworkError('proxy_resolution_failed', `The system proxy settings for ${url.origin} could not be resolved`, { cause: err });
      }
      const parsed = parsePacAnswer(typeof answer === 'string' ? answer : '');
      if (!parsed.ok) {
        const entries = parsed.skipped.map((s) => s.entry).join('; ');
        throw new NetworkError('proxy_unsupported', `The system proxy for ${url.origin} is one this app cannot use (${entries}); SOCKS proxies are not supported`);
      }
      return parsed.choice;
    }
    return proxyFromEnv(url, env);
  }

  /** One attempt: a Response, or a typed error with `transient` telling whether a retry may help. */
  async function attempt(p: Prepared, choice: ProxyChoice): Promise<Response> {
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, timeoutMs);
    const signal = p.signal ? AbortSignal.any([p.signal, deadline.signal]) : deadline.signal;
    const via = choice.kind === 'proxy' ? ` through the proxy ${proxyLabel(choice.proxy)}` : '';
    const fail = (err: unknown): never => {
      if (p.signal?.aborted) throw p.signal.reason ?? err;
      if (timedOut) throw transient(new TimeoutError(`${p.url.origin} did not answer within ${timeoutMs} ms${via}`, { cause: err, code: 'request_timed_out' }));
      if (err instanceof ClientAuthError) throw err;
      throw networkError(err, p.url, choice);
    };
    try {
      let res: Dispatcher.ResponseData;
      try {
        res = await undiciRequest(p.url, {
          method: p.method as Dispatcher.HttpMethod,
          headers: p.headers,
          body: p.payload ?? null,
          signal,
          // No keep-alive: a handful of requests per sign-in, and no stale pooled socket to fail a
          // request that must not be repeated (a code redemption).
          reset: true,
          dispatcher: dispatcher(choice, isPinned(p.url)),
        });
      } catch (err) {
        return fail(err);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        for await (const chunk of res.body as AsyncIterable<Buffer>) {
          size += chunk.length;
          if (size > maxBodyBytes) {
            res.body.destroy();
            throw new ClientAuthError(ClientAuthErrorCode.responseTooLarge, `Response from ${p.url.origin} exceeded ${maxBodyBytes} bytes`);
          }
          chunks.push(chunk);
        }
      } catch (err) {
        return fail(err);
      }
      const status = res.statusCode;
      const headers = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (Array.isArray(v)) v.forEach((x) => headers.append(k, x));
        else if (v !== undefined) headers.set(k, v);
      }
      options.onResponse?.({ method: p.method, url: p.url.origin + p.url.pathname, status });
      const response = new Response(NO_BODY_STATUS.has(status) ? null : Buffer.concat(chunks), { status, statusText: '', headers });
      // oauth4webapi checks response.url in some paths; Response's is read-only, so define it.
      Object.defineProperty(response, 'url', { value: p.url.href });
      return response;
    } finally {
      clearTimeout(timer);
    }
  }

  return async function pinnedFetch(input, init = {}) {
    const p = await prepare(input, init);
    const key = throttleKey(p.facts);
    const blockedUntil = throttles.get(key, Date.now());
    if (blockedUntil) throw throttled(p.url, blockedUntil, undefined, undefined);
    const choice = await route(p.url);

    const repeatable = isRepeatable(p.facts);
    for (let attemptNo = 1; ; attemptNo++) {
      const last = !repeatable || attemptNo === 2;
      let response: Response;
      try {
        response = await attempt(p, choice);
      } catch (err) {
        if (last || !isTransient(err)) throw unmark(err);
        await sleep(delay(), p.signal);
        continue;
      }
      if (isThrottlingStatus(response.status)) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
        if (retryAfter) {
          throttles.set(key, retryAfter);
          throw throttled(p.url, retryAfter, response.status, correlationIdOf(response));
        }
      }
      if (isTransientStatus(response.status) && !last) {
        await sleep(delay(), p.signal);
        continue;
      }
      return response;
    }
  };
}

async function prepare(input: string | URL | Request, init: RequestInit): Promise<Prepared> {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : input.toString());
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new NetworkError('unsupported_protocol', `Unsupported protocol ${url.protocol}`);
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers ?? request?.headers);
  const body = init.body ?? undefined;
  let payload: Buffer | undefined;
  let form: URLSearchParams | undefined;
  if (body !== undefined && body !== null) {
    if (typeof body === 'string') payload = Buffer.from(body);
    else if (body instanceof URLSearchParams) {
      payload = Buffer.from(body.toString());
      form = body;
      if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    } else if (body instanceof Uint8Array) payload = Buffer.from(body);
    else payload = Buffer.from(await new Response(body as ConstructorParameters<typeof Response>[0]).arrayBuffer());
  }
  if (payload && !form && /^application\/x-www-form-urlencoded/i.test(headers.get('content-type') ?? '')) form = new URLSearchParams(payload.toString('utf8'));
  return {
    url,
    method,
    headers: Object.fromEntries(headers.entries()),
    payload,
    signal: init.signal ?? undefined,
    facts: { method, url, form, hasAuthorization: headers.has('authorization') },
  };
}

// Errors a retry may cure are marked while they travel from attempt() to the loop, then unmarked.
const TRANSIENT = Symbol('transient');
const transient = <E extends Error>(err: E): E => Object.assign(err, { [TRANSIENT]: true });
const isTransient = (err: unknown): boolean => typeof err === 'object' && err !== null && TRANSIENT in err;
function unmark(err: unknown): unknown {
  if (isTransient(err)) delete (err as Record<symbol, unknown>)[TRANSIENT];
  return err;
}

function networkError(err: unknown, url: URL, choice: ProxyChoice): AuthError {
  const code = errorCode(err);
  if (choice.kind === 'proxy') {
    const proxy = proxyLabel(choice.proxy);
    // Through a proxy, the only connection we open is to the proxy.
    if (code && CONNECT_CODES.has(code)) return new NetworkError('proxy_unreachable', `The proxy ${proxy} could not be reached (${code})`, { cause: err });
    // undici reports a CONNECT answered with anything but 200 (403 by policy, 407, 502 unknown host) so;
    // our own aborts never get here (timeout and the caller's signal are handled before).
    if (code === 'UND_ERR_ABORTED') return new NetworkError('proxy_refused', `The proxy ${proxy} refused to connect to ${url.host}`, { cause: err });
  }
  const via = choice.kind === 'proxy' ? ` through the proxy ${proxyLabel(choice.proxy)}` : '';
  const out = new NetworkError('network_error', `Request to ${url.origin}${via} failed: ${code ?? 'connection error'}`, { cause: err });
  return code && TRANSIENT_CODES.has(code) ? transient(out) : out;
}

/** The error's own code (Node's errno codes, undici's UND_ERR_*), or its cause's. Never its message. */
function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, i = 0; e && typeof e === 'object' && i < 3; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code) return code;
  }
  return undefined;
}

function throttled(url: URL, retryAfter: Date, status: number | undefined, correlationId: string | undefined): ServerError {
  const seconds = Math.max(1, Math.ceil((retryAfter.getTime() - Date.now()) / 1000));
  return new ServerError('throttled', `${url.origin} asked this app to wait: try again after ${retryAfter.toISOString()} (in ${seconds} s)`, {
    retryAfter,
    ...(status !== undefined ? { status } : {}),
    ...(correlationId ? { correlationId } : {}),
  });
}

function correlationIdOf(response: Response): string | undefined {
  return idpIdentifier(response.headers.get('client-request-id')) ?? idpIdentifier(response.headers.get('x-ms-request-id'));
}

