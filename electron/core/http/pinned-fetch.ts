// The engine's only HTTP client. With `trustedCaPem` it trusts exactly that certificate (the local
// IdP's pinned one) and nothing else; without it, Node's default roots. TLS verification is never
// turned off. Bodies are capped: a hostile or broken server cannot make us buffer 10 MB of JSON.
import https from 'node:https';
import http from 'node:http';
import { ClientAuthError, ClientAuthErrorCode, NetworkError } from '../errors.js';

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  trustedCaPem?: string | undefined;
  /** Largest body accepted; 1 MiB by default (real token responses are a few KB). */
  maxBodyBytes?: number;
  /** Called once per request, after it completes (for counters and logging; never sees bodies). */
  onResponse?: (info: { method: string; url: string; status: number }) => void;
}

const NO_BODY_STATUS = new Set([101, 204, 205, 304]);

export function createFetch(options: HttpOptions = {}): FetchLike {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const agent = options.trustedCaPem ? new https.Agent({ ca: options.trustedCaPem, keepAlive: false }) : undefined;

  return async function pinnedFetch(input, init = {}) {
    const request = input instanceof Request ? input : undefined;
    const url = new URL(request ? request.url : input.toString());
    const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers ?? request?.headers);
    const body = init.body ?? undefined;
    let payload: Buffer | undefined;
    if (body !== undefined && body !== null) {
      if (typeof body === 'string') payload = Buffer.from(body);
      else if (body instanceof URLSearchParams) {
        payload = Buffer.from(body.toString());
        if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
      } else if (body instanceof Uint8Array) payload = Buffer.from(body);
      else payload = Buffer.from(await new Response(body as ConstructorParameters<typeof Response>[0]).arrayBuffer());
    }
    if (payload) headers.set('content-length', String(payload.length));
    const signal = init.signal ?? undefined;

    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!transport) throw new NetworkError('unsupported_protocol', `Unsupported protocol ${url.protocol}`);

    return await new Promise<Response>((resolve, reject) => {
      const req = transport.request(
        url,
        {
          method,
          headers: Object.fromEntries(headers.entries()),
          ...(url.protocol === 'https:' && agent ? { agent } : {}),
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxBodyBytes) {
              res.destroy();
              req.destroy();
              reject(new ClientAuthError(ClientAuthErrorCode.responseTooLarge, `Response from ${url.origin} exceeded ${maxBodyBytes} bytes`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (err) => reject(new NetworkError('network_error', `Reading the response from ${url.origin} failed`, { cause: err })));
          res.on('end', () => {
            if (size > maxBodyBytes) return;
            const status = res.statusCode ?? 500;
            const outHeaders = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) v.forEach((x) => outHeaders.append(k, x));
              else if (v !== undefined) outHeaders.set(k, v);
            }
            options.onResponse?.({ method, url: url.origin + url.pathname, status });
            const response = new Response(NO_BODY_STATUS.has(status) ? null : Buffer.concat(chunks), {
              status,
              statusText: res.statusMessage ?? '',
              headers: outHeaders,
            });
            // oauth4webapi checks response.url in some paths; Response's is read-only, so define it.
            Object.defineProperty(response, 'url', { value: url.href });
            resolve(response);
          });
        },
      );
      req.on('error', (err) => {
        if (signal?.aborted) reject(signal.reason ?? err);
        else reject(new NetworkError('network_error', `Request to ${url.origin} failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`, { cause: err }));
      });
      // Bound every request; a silent server must not hang a sign-in forever.
      req.setTimeout(30_000, () => req.destroy(new Error('request timed out')));
      if (payload) req.write(payload);
      req.end();
    });
  };
}
