// A real forward proxy for tests: Debian's squid, in the foreground (`squid -N`), on a free 127.0.0.1
// port, with its own configuration, logs, pid file and no disk cache, all under a temporary folder.
// `hosts` entries are resolvable by the proxy only (squid's hosts_file): a test serving its IdP under
// such a name proves the engine reached it through the proxy, since the test process itself cannot
// resolve the name. The access log (one line per request; CONNECT for HTTPS) shows what went through.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestProxy {
  /** `http://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** The access log's lines so far (squid's native format: time, elapsed, client, result/status, bytes, method, URL, ...). */
  accessLog(): string[];
  /** Wait (bounded) until `predicate` holds for the access log; squid writes a CONNECT line when the tunnel closes. */
  waitForLog(predicate: (lines: string[]) => boolean, timeoutMs?: number): Promise<string[]>;
  stop(): Promise<void>;
}

export interface TestProxyOptions {
  /** Names only the proxy resolves: `{ 'idp.proxy-only.test': '127.0.0.1' }`. */
  hosts?: Record<string, string>;
  /** Bound on the start (squid parses its configuration and opens its port in well under a second). */
  startTimeoutMs?: number;
}

export const SQUID = ['/usr/sbin/squid', '/usr/local/sbin/squid'].find((p) => existsSync(p));
/** Why squid cannot run here, or undefined (tests skip with this reason). */
export const squidUnavailable: string | undefined = SQUID ? undefined : 'squid is not installed (bash scripts/install-prerequisites.sh)';

export async function startTestProxy(options: TestProxyOptions = {}): Promise<TestProxy> {
  if (!SQUID) throw new Error(squidUnavailable);
  const dir = mkdtempSync(join(tmpdir(), 'test-squid-'));
  const port = await freePort();
  const hostsFile = join(dir, 'hosts');
  writeFileSync(hostsFile, Object.entries(options.hosts ?? {}).map(([name, ip]) => `${ip} ${name}\n`).join(''));
  const accessLog = join(dir, 'access.log');
  const root = process.getuid?.() === 0;
  const conf = [
    `http_port 127.0.0.1:${port}`,
    // Tests only: anyone on loopback may tunnel to any port (the stock config limits CONNECT to 443).
    'http_access allow all',
    'cache deny all',
    'cache_mem 0 MB',
    `pid_filename ${join(dir, 'squid.pid')}`,
    `cache_log ${join(dir, 'cache.log')}`,
    `access_log stdio:${accessLog}`,
    'buffered_logs off',
    'logfile_rotate 0',
    `coredump_dir ${dir}`,
    `hosts_file ${hostsFile}`,
    // Nothing else is resolvable in a closed network: fail unknown names at once rather than after DNS timeouts.
    'dns_timeout 2 seconds',
    'negative_dns_ttl 1 seconds',
    'visible_hostname test-proxy',
    'pinger_enable off',
    // SIGTERM: stop now, not after the default 30 s of draining connections.
    'shutdown_lifetime 0 seconds',
    // squid refuses to keep running as root; as root (CI) it switches to this user.
    ...(root ? [`cache_effective_user ${squidUser()}`] : []),
    '',
  ].join('\n');
  const confFile = join(dir, 'squid.conf');
  writeFileSync(confFile, conf);
  writeFileSync(accessLog, '');
  if (root) chownTree(dir, squidUser());

  // No stdin (CI has none), output kept for the error message if it does not come up.
  const child = spawn(SQUID, ['-N', '-f', confFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));

  const stop = async () => {
    await killAndWait(child, exited);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = safeRead(join(dir, 'cache.log'));
      await stop();
      throw new Error(`squid exited before listening: ${output}${log.slice(-2000)}`);
    }
    if (await canConnect(port)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`squid did not listen on 127.0.0.1:${port} within the start bound: ${output}`);
    }
    await sleep(50);
  }

  const lines = () => safeRead(accessLog).split('\n').filter(Boolean);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: lines,
    async waitForLog(predicate, timeoutMs = 5_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const now = lines();
        if (predicate(now) || Date.now() > end) return now;
        await sleep(50);
      }
    },
    stop,
  };
}

/** Debian's squid runs as `proxy`; other builds as `nobody`. */
function squidUser(): string {
  const probe = spawnSync('id', ['-u', 'proxy'], { stdio: 'ignore' });
  return probe.status === 0 ? 'proxy' : 'nobody';
}

function chownTree(dir: string, user: string): void {
  const uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) return;
  for (const f of ['', 'access.log', 'hosts', 'squid.conf']) chownSync(join(dir, f), uid, gid);
}

async function killAndWait(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
  if (!done) {
    child.kill('SIGKILL');
    await Promise.race([exited, sleep(2_000)]);
  }
}

/** A port the kernel just handed out and released (squid binds it a moment later; collisions are rare enough). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
