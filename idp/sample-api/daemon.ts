// The daemon of `npm run daemon` (daemon-cli.ts): a background service with no user. It gets an app-only token for the sample API with
// client credentials (client `sample-daemon`, its development secret, or DAEMON_SECRET), calls
// GET /app-data and returns the API's answer with a summary of the token (never the token).
import { ConfidentialClientApplication } from '../../electron/core/confidential-client.js';
import { CONFIDENTIAL_CLIENT_IDS, DEV_SECRETS } from '../confidential-clients.js';

export const APP_SCOPE = 'api://sample-api/.default';

export interface DaemonRun {
  token: { scopes: string[]; expiresOn: string; tenantId: string; fromCache: boolean };
  api: { url: string; status: number; body: unknown };
}

export async function runDaemon(options: { idpUrl: string; caCertPem: string; apiUrl: string; tenant?: string; clientSecret?: string; fetch?: typeof fetch }): Promise<DaemonRun> {
  const cca = await ConfidentialClientApplication.create({
    auth: {
      clientId: CONFIDENTIAL_CLIENT_IDS.daemon,
      authority: `${options.idpUrl}/${options.tenant ?? 'contoso'}`,
      clientSecret: options.clientSecret ?? DEV_SECRETS.daemon,
    },
    system: { trustedCaPem: options.caCertPem },
  });
  const result = await cca.acquireTokenByClientCredential({ scopes: [APP_SCOPE] });
  const url = `${options.apiUrl.replace(/\/+$/, '')}/app-data`;
  const response = await (options.fetch ?? fetch)(url, { headers: { authorization: `Bearer ${result.accessToken}` } });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = { nonJsonBody: text.slice(0, 200) };
  }
  return {
    token: { scopes: result.scopes, expiresOn: result.expiresOn.toISOString(), tenantId: result.tenantId, fromCache: result.fromCache },
    api: { url, status: response.status, body },
  };
}
