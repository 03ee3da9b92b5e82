// The KDC fixture itself, with the npm `kerberos` module on both sides of a SPNEGO exchange:
// if this fails, every IWA test would fail for reasons that are not the app's.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startKdc, type Kdc } from '../kdc.js';

let kdc: Kdc;
before(async () => {
  kdc = await startKdc({ users: { alice: 'alice-kerberos-pw' } });
});
after(() => kdc?.stop());

// libkrb5 reads KRB5_* when a context is created, so each exchange runs in a child process with its own env.
function spnegoExchange(env: Record<string, string>): { username?: string; error?: string } {
  const script = `
    import kerberos from 'kerberos';
    try {
      const client = await kerberos.initializeClient('HTTP@localhost', { mechOID: kerberos.GSS_MECH_OID_SPNEGO });
      const token = await client.step('');
      const server = await kerberos.initializeServer('HTTP@localhost');
      await server.step(token);
      console.log(JSON.stringify({ username: server.username }));
    } catch (e) { console.log(JSON.stringify({ error: String(e.message) })); }`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}');
}

test('a ticket from the private KDC authenticates alice to HTTP/localhost', () => {
  const cache = kdc.kinit('alice', 'alice-kerberos-pw');
  const outcome = spnegoExchange({ ...kdc.env, KRB5CCNAME: cache });
  assert.equal(outcome.username, `alice@${kdc.realm}`);
});

test('with no ticket the client gets a "no credentials" error', () => {
  const outcome = spnegoExchange({ ...kdc.env, KRB5CCNAME: kdc.emptyCredentialCache() });
  assert.equal(outcome.username, undefined);
  assert.match(outcome.error ?? '', /No Kerberos credentials|No credentials|credentials cache/i);
});

test('a wrong password is refused by the KDC', () => {
  assert.throws(() => kdc.kinit('alice', 'wrong'), /kinit/);
});
