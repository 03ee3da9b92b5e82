// `npm run api`: the sample API on its own, against a running IdP (see idp-connection.ts for IDP_URL,
// IDP_CA_CERT, IDP_DATA_DIR). API_PORT (default 5050; 0 = ephemeral), API_TENANT (default contoso),
// API_LOG=1 logs one line per request.
import { DEFAULT_API_PORT, startSampleApi } from './server.js';
import { idpConnectionFrom, portFrom } from './idp-connection.js';

try {
  const port = portFrom(process.env.API_PORT, DEFAULT_API_PORT, 'API_PORT');
  const idp = await idpConnectionFrom(process.env);
  const api = await startSampleApi({
    ...idp,
    port,
    ...(process.env.API_TENANT ? { tenant: process.env.API_TENANT } : {}),
    ...(process.env.API_LOG === '1' ? { logger: (line: string) => console.error(line) } : {}),
  });
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      api.stop().then(() => process.exit(0), () => process.exit(1));
    });
  }
  console.log(`Sample API ready at ${api.url}`);
} catch (err) {
  const e = err as NodeJS.ErrnoException;
  console.error(e.code === 'EADDRINUSE' ? `Port ${process.env.API_PORT ?? DEFAULT_API_PORT} is in use: set API_PORT to another port.` : `Sample API failed to start: ${e.message}`);
  process.exit(1);
}
