// kerberosSpnego against a real MIT KDC: the token it makes is accepted by a real acceptor, and every
// Kerberos failure becomes an InteractionRequiredAuthError with a stable code.
import { strict as assert } from 'node:assert';
import { after, before, test } from 'node:test';
import kerberos from 'kerberos';
import { startKdc, type Kdc } from '../../../../testkit/kdc.js';
import { classifyKerberosFailure, kerberosSpnego } from '../spnego.js';

let kdc: Kdc;
const saved = { ...process.env };
before(async () => {
  kdc = await startKdc({ users: { alice: 'alice-kerberos-pw' } });
  Object.assign(process.env, kdc.env); // libkrb5 reads KRB5_* per context, so in-process is fine
});
after(async () => {
  process.env = saved;
  await kdc?.stop();
});

test('with a ticket, the token authenticates alice to HTTP/localhost', async () => {
  process.env.KRB5CCNAME = kdc.kinit('alice', 'alice-kerberos-pw');
  const token = await kerberosSpnego('localhost');
  const acceptor = await kerberos.initializeServer('HTTP@localhost');
  await acceptor.step(token);
  assert.equal(acceptor.username, `alice@${kdc.realm}`);
});

test('no ticket → kerberos_no_ticket', async () => {
  process.env.KRB5CCNAME = kdc.emptyCredentialCache();
  await assert.rejects(kerberosSpnego('localhost'), { name: 'InteractionRequiredAuthError', code: 'kerberos_no_ticket' });
});

test('a host the realm has no service for → kerberos_unknown_service', async () => {
  process.env.KRB5CCNAME = kdc.kinit('alice', 'alice-kerberos-pw');
  await assert.rejects(kerberosSpnego('no-such-host.localhost'), { name: 'InteractionRequiredAuthError', code: 'kerberos_unknown_service' });
});

test('the classifier maps the messages GSSAPI is known to give', () => {
  assert.equal(classifyKerberosFailure('Unspecified GSS failure.  Minor code may provide more information: Ticket expired').code, 'kerberos_ticket_expired');
  assert.equal(classifyKerberosFailure("Server HTTP/x@R not found in Kerberos database").code, 'kerberos_unknown_service');
  assert.equal(classifyKerberosFailure('something new').code, 'kerberos_failed');
});
