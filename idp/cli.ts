// `npm run idp`: the local IdP on its own. IDP_PORT (default 5443) and IDP_DATA_DIR (default .data/idp);
// IDP_KERBEROS=1 accepts HTTP Negotiate on the login step with the keytab named by KRB5_KTNAME.
// The federation service, interstitial and device login page listen on ephemeral ports of their own.
import { DEFAULT_DATA_DIR, startDevIdp } from './index.js';

export const DEFAULT_PORT = 5443;

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`IDP_PORT must be a port number (0-65535), got "${value}"`);
    process.exit(2);
  }
  return port;
}

const verbose = process.env.IDP_LOG === '1';
const idp = await startDevIdp({
  port: portFromEnv(process.env.IDP_PORT),
  dataDir: process.env.IDP_DATA_DIR || DEFAULT_DATA_DIR,
  // Request lines carry no query strings, so no codes or tokens; still opt-in to keep the output to one line.
  logger: verbose ? (line) => console.error(line) : undefined,
  kerberos: process.env.IDP_KERBEROS === '1' ? {} : undefined,
}).catch((err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `Port ${process.env.IDP_PORT ?? DEFAULT_PORT} is in use: set IDP_PORT to another port.` : `IdP failed to start: ${err.message}`);
  process.exit(1);
});

// Handlers first: whoever waits for the ready line may signal us the moment it is written.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    idp.stop().then(() => process.exit(0), () => process.exit(1));
  });
}

// The first line's format is stable (scripts and tests parse it); the services on other origins follow,
// in one write so a reader never sees half of it.
console.log(
  [
    `IdP ready at ${idp.url} (certificate: ${idp.certPath})`,
    `  federation service (northwind.example): ${idp.federationUrl}`,
    `  sign-in interstitial (erin): ${idp.interstitialUrl}`,
    `  device login: ${idp.deviceLoginUrl}`,
  ].join('\n'),
);
