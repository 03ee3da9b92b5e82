// A real MIT Kerberos KDC on loopback with a private realm, for the Integrated Windows Auth tests.
// Nothing under /etc changes: every path is private and handed over through the standard KRB5_* vars.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Kdc {
  realm: string;
  /** KRB5_CONFIG, KRB5_KDC_PROFILE and KRB5_KTNAME (the HTTP/localhost service keytab). */
  env: Record<string, string>;
  keytabPath: string;
  /** kinit into a fresh private credential cache; returns the KRB5CCNAME value to use. */
  kinit(principal: string, password: string, options?: { lifetime?: string }): string;
  /** A credential cache path that holds nothing, for "no ticket" cases. */
  emptyCredentialCache(): string;
  stop(): Promise<void>;
}

export interface KdcOptions {
  realm?: string;
  /** principal → password */
  users: Record<string, string>;
  /** service principals put in the keytab, e.g. HTTP/localhost */
  services?: string[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function krb5Conf(realm: string, port: number): string {
  return `[libdefaults]
  default_realm = ${realm}
  dns_lookup_kdc = false
  dns_lookup_realm = false
  dns_canonicalize_hostname = false
  rdns = false
  udp_preference_limit = 1
[realms]
  ${realm} = {
    kdc = 127.0.0.1:${port}
  }
[domain_realm]
  localhost = ${realm}
  127.0.0.1 = ${realm}
`;
}

function kdcConf(realm: string, port: number, dir: string): string {
  return `[kdcdefaults]
  kdc_listen = 127.0.0.1:${port}
  kdc_tcp_listen = 127.0.0.1:${port}
[realms]
  ${realm} = {
    database_name = ${join(dir, 'principal')}
    key_stash_file = ${join(dir, 'stash')}
    acl_file = ${join(dir, 'kadm5.acl')}
    max_life = 10h 0m 0s
    max_renewable_life = 1d 0h 0m 0s
  }
[logging]
  kdc = FILE:${join(dir, 'kdc.log')}
`;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): void {
  const result = spawnSync(command, args, { env, input, encoding: 'utf8' });
  if (result.status !== 0) {
    // Output of these admin tools holds no secrets of value: throw-away realm, generated passwords.
    throw new Error(`${command} ${args[0] ?? ''} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const { connect } = await import('node:net');
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`krb5kdc exited early (${child.exitCode})`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('krb5kdc did not start listening');
}

export async function startKdc(options: KdcOptions): Promise<Kdc> {
  const realm = options.realm ?? 'TEST.LOCAL';
  const dir = await mkdtemp(join(tmpdir(), 'kdc-'));
  const port = await freePort();
  const keytabPath = join(dir, 'http.keytab');
  const env: Record<string, string> = {
    KRB5_CONFIG: join(dir, 'krb5.conf'),
    KRB5_KDC_PROFILE: join(dir, 'kdc.conf'),
    KRB5_KTNAME: `FILE:${keytabPath}`,
  };
  await writeFile(env.KRB5_CONFIG!, krb5Conf(realm, port));
  await writeFile(env.KRB5_KDC_PROFILE!, kdcConf(realm, port, dir));
  await writeFile(join(dir, 'kadm5.acl'), '');
  const toolEnv = { ...process.env, ...env };

  run('kdb5_util', ['create', '-s', '-r', realm, '-P', 'kdc-master-password'], toolEnv);
  for (const [principal, password] of Object.entries(options.users)) {
    run('kadmin.local', ['-r', realm, '-q', `addprinc -pw ${password} ${principal}`], toolEnv);
  }
  for (const service of options.services ?? ['HTTP/localhost']) {
    run('kadmin.local', ['-r', realm, '-q', `addprinc -randkey ${service}`], toolEnv);
    run('kadmin.local', ['-r', realm, '-q', `ktadd -k ${keytabPath} ${service}`], toolEnv);
  }

  const kdc = spawn('krb5kdc', ['-n', '-r', realm], { env: toolEnv, stdio: 'ignore' });
  await waitForPort(port, kdc);
  let caches = 0;

  return {
    realm,
    env,
    keytabPath,
    kinit(principal, password, { lifetime } = {}) {
      const cache = `FILE:${join(dir, `ccache-${++caches}`)}`;
      const args = lifetime ? ['-l', lifetime, principal] : [principal];
      run('kinit', args, { ...toolEnv, KRB5CCNAME: cache }, `${password}\n`);
      return cache;
    },
    emptyCredentialCache() {
      return `FILE:${join(dir, `ccache-empty-${++caches}`)}`;
    },
    async stop() {
      if (kdc.exitCode === null) {
        const exited = new Promise((r) => kdc.once('exit', r));
        kdc.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
