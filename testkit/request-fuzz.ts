// A bounded raw-socket fuzzer for our small HTTP servers (loopback listener, local IdP, sample API):
// request lines, methods, headers and percent-encodings a real client would never send, written
// byte for byte on fresh connections so nothing (fetch, undici) normalises them first. Cases are
// generated from a seed, so a failure names a case that the same seed reproduces. It only sends:
// the test decides what the answers must be, and that the server is still up afterwards.
import net from 'node:net';
import tls from 'node:tls';

const b64url = (text: string): string => Buffer.from(text).toString('base64url');

export interface FuzzTarget {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** HTTPS: the server's certificate as the only trusted CA, and the name it is issued for. */
  tls?: { ca: string; servername: string };
}

export interface FuzzOptions {
  /** Same seed, same cases. Default 1. */
  seed?: number;
  /** Generated cases after the fixed ones. Default 200. */
  count?: number;
  /** Stop sending new cases after this long (the fixed cases are sent first). Default 30 s. */
  budgetMs?: number;
  /** Give up on one answer after this long. Default 5 s. */
  perRequestMs?: number;
  /** Connections in flight at once. Default 4. */
  concurrency?: number;
  /** Paths the server serves, mutated into targets (default `/`). */
  paths?: readonly string[];
  /** The Host header a well-behaved client sends, e.g. `127.0.0.1:5050`. */
  host: string;
  /** Header lines added to the generated mix, e.g. a valid `Authorization` so requests get past it. */
  headers?: readonly string[];
}

export interface FuzzCase {
  name: string;
  raw: Buffer;
}

export interface RawAnswer {
  /** Undefined when the connection closed (or timed out) before a status line. */
  status?: number;
  timedOut: boolean;
}

export interface FuzzOutcome extends RawAnswer {
  case: FuzzCase;
}

export interface FuzzReport {
  outcomes: FuzzOutcome[];
  /** Cases not sent because the time budget ran out. */
  skipped: number;
}

/** Small deterministic PRNG (mulberry32): the runs must be reproducible, not unpredictable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'get', 'FOO', 'M-SEARCH', 'PROPFIND'];
const PERCENT = ['%', '%%', '%G1', '%zz', '%E0%A4', '%E0%A4%A', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%0d%0a', '%2F', '%5B', '%25', '%41', '%e2%82%ac'];
const ODD = ['[', ']', '@', ':', '..', '/..', '//', '\\', '*', '~', '!', '$', "'", '(', ')', ';', ',', '=', '+', '|', '^', '`', '{', '}', '#', '?', '&', '\u00e9', '\u20ac'];
const QUERY_KEYS = ['code', 'state', 'error', 'error_description', 'iss', 'client_id', 'redirect_uri', 'scope', 'response_type', 'grant_type', 'a'];

function pick<T>(rnd: () => number, items: readonly T[]): T {
  return items[Math.floor(rnd() * items.length)]!;
}

function fragment(rnd: () => number): string {
  const r = rnd();
  if (r < 0.4) return pick(rnd, PERCENT);
  if (r < 0.8) return pick(rnd, ODD);
  return Math.floor(rnd() * 1e6).toString(36);
}

function target(rnd: () => number, paths: readonly string[]): string {
  const r = rnd();
  if (r < 0.05) return '*';
  if (r < 0.1) return `http://${pick(rnd, ['evil.test', '[', '127.0.0.1:1', 'a@b'])}/${fragment(rnd)}`;
  if (r < 0.13) return `${pick(rnd, ['evil.test', '127.0.0.1'])}:443`;
  let path = pick(rnd, paths);
  const edits = rnd() < 0.35 ? 0 : 1 + Math.floor(rnd() * 3); // unedited paths reach the handlers
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * (path.length + 1));
    path = path.slice(0, at) + fragment(rnd) + path.slice(at);
  }
  if (rnd() < 0.15) path = `/${path}`; // "//..." is an authority to a URL parser
  if (rnd() < 0.5) {
    const params = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => `${pick(rnd, QUERY_KEYS)}${rnd() < 0.8 ? `=${fragment(rnd)}` : ''}`);
    path += `?${params.join('&')}`;
  }
  if (rnd() < 0.03) path += 'x'.repeat(6000 + Math.floor(rnd() * 6000));
  return path;
}

function hostHeader(rnd: () => number, host: string): string[] {
  const r = rnd();
  if (r < 0.55) return [`Host: ${host}`];
  if (r < 0.6) return [];
  if (r < 0.65) return ['Host:'];
  if (r < 0.7) return [`Host: ${host}`, 'Host: evil.test'];
  return [`Host: ${pick(rnd, ['[', '[::1', ']', 'evil.test', 'a@b', `${host}:1`, 'localhost:99999', '127.0.0.1:-1', '%zz', 'x'.repeat(300), `${host}/x`, ':', '\u00e9.test'])}`];
}

const EXTRA_HEADERS = [
  'Cookie: _interaction=%zz; _session=[; =; a',
  'Cookie: _interaction.sig=' + 'A'.repeat(100),
  'Origin: [',
  'Origin: null',
  'Origin: http://evil.test',
  'Referer: //[',
  'Accept: */*',
  'Accept-Language: %zz;q=abc',
  'Accept-Encoding: gzip;q=-1',
  'Content-Type: application/x-www-form-urlencoded; charset=%zz',
  'Content-Type: application/json',
  'Content-Type: ;;;',
  'X-Forwarded-For: [',
  'X-Forwarded-Host: [',
  'X-Forwarded-Proto: gopher',
  'Authorization: Bearer',
  'Authorization: Bearer x.y.z',
  'Authorization: Bearer eyJ%zz.eyJ.',
  // Token-shaped, built here (never copied): an unsigned alg=none JWT, and one whose kid is "[".
  `Authorization: Bearer ${b64url('{"alg":"none"}')}.${b64url('{"sub":"x"}')}.`,
  `Authorization: Bearer ${b64url('{"kid":"[","alg":"RS256"}')}.${b64url('{}')}.AAAA`,
  'Authorization: Basic %zz',
  'Authorization: Negotiate %zz',
  'Authorization: Negotiate YII=',
  'If-None-Match: "[',
  'Range: bytes=-1-',
  'Expect: 100-continue',
];

const BODIES = ['', 'grant_type=%zz', 'grant_type=authorization_code&code=%E0%A4&redirect_uri=%5B', 'username=%zz&password=%', 'a=1&a=2&a', '{"x":', '%'];

/** The fixed cases every run starts with: the ones a report named, and their close relatives. */
export function knownBadCases(host: string): FuzzCase[] {
  const lines: [string, string][] = [
    ['protocol-relative "//["', 'GET //[ HTTP/1.1'],
    ['protocol-relative "//[::1"', 'GET //[::1 HTTP/1.1'],
    ['protocol-relative host', 'GET //evil.test/ HTTP/1.1'],
    ['backslash authority', 'GET /\\evil.test/ HTTP/1.1'],
    ['absolute-form with bad host', 'GET http://[/ HTTP/1.1'],
    ['absolute-form', 'GET http://evil.test/ HTTP/1.1'],
    ['asterisk-form', 'OPTIONS * HTTP/1.1'],
    ['bad percent-encoding in path', 'GET /%E0%A4%A HTTP/1.1'],
    ['lone percent in path', 'GET /% HTTP/1.1'],
    ['bad percent-encoding in query', 'GET /?code=%E0%A4%A&state=%zz HTTP/1.1'],
    ['bad percent-encoding in first segment', 'GET /%zz/v2.0/.well-known/openid-configuration HTTP/1.1'],
  ];
  const cases = lines.map(([name, line]) => ({ name, raw: Buffer.from(`${line}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`, 'latin1') }));
  const hosts = ['[', '', 'evil.test', '[::1', 'a@b:1'];
  for (const h of hosts) cases.push({ name: `Host "${h}"`, raw: Buffer.from(`GET / HTTP/1.1\r\nHost: ${h}\r\nConnection: close\r\n\r\n`, 'latin1') });
  cases.push({ name: 'no Host (HTTP/1.0)', raw: Buffer.from('GET / HTTP/1.0\r\n\r\n', 'latin1') });
  return cases;
}

/** `count` generated cases for `seed`: the same arguments always give the same bytes. */
export function generateCases(seed: number, count: number, host: string, paths: readonly string[] = ['/'], headers: readonly string[] = []): FuzzCase[] {
  const rnd = prng(seed);
  const pool = [...EXTRA_HEADERS, ...headers, ...headers, ...headers];
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const method = pick(rnd, METHODS);
    const t = target(rnd, paths);
    const version = rnd() < 0.9 ? 'HTTP/1.1' : pick(rnd, ['HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/9']);
    const lines = [...hostHeader(rnd, host)];
    const extras = Math.floor(rnd() * 3);
    for (let j = 0; j < extras; j++) lines.push(pick(rnd, pool));
    const body = method === 'POST' || rnd() < 0.05 ? pick(rnd, BODIES) : '';
    if (body || method === 'POST') lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    lines.push('Connection: close');
    const raw = Buffer.from(`${method} ${t} ${version}\r\n${lines.join('\r\n')}\r\n\r\n${body}`, 'utf8');
    cases.push({ name: `seed ${seed} #${i}: ${method} ${t.length > 80 ? `${t.slice(0, 80)}…` : t}`, raw });
  }
  return cases;
}

/** Write `raw` on a fresh connection and read the status line of the answer (bounded). */
export function sendRaw(server: FuzzTarget, raw: Buffer, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const host = server.host ?? '127.0.0.1';
    const socket: net.Socket = server.tls
      ? tls.connect({ host, port: server.port, ca: server.tls.ca, servername: server.tls.servername }, () => socket.write(raw))
      : net.connect({ host, port: server.port }, () => socket.write(raw));
    let head = '';
    let done = false;
    const finish = (timedOut: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] ([2-9]\d\d)/.exec(head);
      resolve({ ...(m ? { status: Number(m[1]) } : {}), timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('latin1');
      // An interim answer (100 Continue) ends with a blank line; the final one follows it.
      head = head.replace(/^HTTP\/1\.[01] 1\d\d[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n/, '');
      // The final status line is all we look at; do not wait for a long body.
      if (/^HTTP\/1\.[01] [2-9]\d\d/.test(head)) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

/** The fixed cases, then `count` generated ones, over `concurrency` connections, within the budget. */
export async function fuzzServer(server: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const cases = [...knownBadCases(options.host), ...generateCases(options.seed ?? 1, options.count ?? 200, options.host, options.paths, options.headers)];
  const deadline = Date.now() + (options.budgetMs ?? 30_000);
  const outcomes: FuzzOutcome[] = [];
  let next = 0;
  let skipped = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++]!;
      if (Date.now() > deadline) {
        skipped++;
        continue;
      }
      outcomes.push({ case: c, ...(await sendRaw(server, c.raw, options.perRequestMs ?? 5_000)) });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  return { outcomes, skipped };
}

/**
 * Record uncaught exceptions and unhandled rejections while a fuzz runs in this process. With a
 * listener attached the process survives them, so the test can report which case caused one.
 */
export function watchUncaught(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const record = (err: unknown) => errors.push(err);
  process.on('uncaughtException', record);
  process.on('unhandledRejection', record);
  return {
    errors,
    stop() {
      process.off('uncaughtException', record);
      process.off('unhandledRejection', record);
    },
  };
}

/** One line per case for an assertion message: never the raw bytes of a long case. */
export function describeOutcomes(outcomes: readonly FuzzOutcome[]): string {
  return outcomes.map((o) => `${o.case.name} → ${o.status ?? (o.timedOut ? 'timeout' : 'closed')}`).join('\n');
}
