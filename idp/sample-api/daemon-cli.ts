// `npm run daemon`: client credentials → GET /app-data on the sample API, printing the result (no token).
//   IDP_URL / IDP_CA_CERT / IDP_DATA_DIR  as for the API (idp-connection.ts)
//   API_URL        default http://127.0.0.1:5050
//   DAEMON_TENANT  default contoso
//   DAEMON_SECRET  default the development secret of `sample-daemon`
import { AuthError } from '../../electron/core/errors.js';
import { runDaemon } from './daemon.js';
import { DEFAULT_API_PORT } from './server.js';
import { idpConnectionFrom } from './idp-connection.js';

try {
  const idp = await idpConnectionFrom(process.env);
  const run = await runDaemon({
    ...idp,
    apiUrl: process.env.API_URL || `http://127.0.0.1:${DEFAULT_API_PORT}`,
    ...(process.env.DAEMON_TENANT ? { tenant: process.env.DAEMON_TENANT } : {}),
    ...(process.env.DAEMON_SECRET ? { clientSecret: process.env.DAEMON_SECRET } : {}),
  });
  console.log(`App-only token acquired (client credentials): scopes ${run.token.scopes.join(' ')}, tenant ${run.token.tenantId}, expires ${run.token.expiresOn}`);
  console.log(`GET ${run.api.url} → ${run.api.status}`);
  console.log(JSON.stringify(run.api.body, null, 2));
  process.exit(run.api.status === 200 ? 0 : 1);
} catch (err) {
  const code = err instanceof AuthError ? ` [${err.code}]` : '';
  console.error(`Daemon failed${code}: ${(err as Error).message}`);
  process.exit(1);
}
