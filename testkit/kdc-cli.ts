// `npx tsx testkit/kdc-cli.ts`: a throw-away Kerberos realm for trying IWA in the app by hand. It starts
// the loopback KDC, signs alice in to it (kinit), prints the variables to export in the shell that
// starts the app, and runs until Ctrl-C (which deletes the realm). Nothing under /etc changes.
import { startKdc } from './kdc.js';

// Only unlocks this throw-away realm's principal; it is not the IdP's demo password.
const KERBEROS_PASSWORD = 'alice-kerberos-pw';
const kdc = await startKdc({ users: { alice: KERBEROS_PASSWORD } });
const ccache = kdc.kinit('alice', KERBEROS_PASSWORD);
const vars = { ...kdc.env, KRB5CCNAME: ccache, AUTH_IWA: '1', IDP_KERBEROS: '1' };
console.log(`# Realm ${kdc.realm} up, alice holds a ticket. In the shell that starts the app (or \`npm run idp\`):`);
for (const [name, value] of Object.entries(vars)) console.log(`export ${name}='${value}'`);
console.log('# Ctrl-C stops the KDC and deletes the realm.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void kdc.stop().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30); // keep running until a signal
