// Shared set-up for the sample API's tests: a real IdP on port 0, user tokens from the password grant
// (desktop client), app tokens from client credentials (daemon) and a real sample API in front.
import * as oauth from 'oauth4webapi';
import { CONFIDENTIAL_CLIENT_IDS, DEV_SECRETS } from '../../confidential-clients.js';
import { discover, passwordGrant, type TestIdp } from '../../test/helpers.js';

export const USER_SCOPE_SAMPLE_API = 'openid profile offline_access api://sample-api/access_as_user';
export const APP_SCOPE = 'api://sample-api/.default';

export async function userToken(idp: TestIdp, user: string, scope = USER_SCOPE_SAMPLE_API, tenant = 'contoso'): Promise<string> {
  const as = await discover(idp, tenant);
  const response = await passwordGrant(idp, as, user, 'Passw0rd!', scope);
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`password grant failed: ${body.error}`);
  return body.access_token;
}

export async function appTokenResponse(idp: TestIdp, secret: string = DEV_SECRETS.daemon, scope = APP_SCOPE, tenant = 'contoso'): Promise<Response> {
  const as = await discover(idp, tenant);
  return oauth.clientCredentialsGrantRequest(as, { client_id: CONFIDENTIAL_CLIENT_IDS.daemon }, oauth.ClientSecretPost(secret), { scope }, idp.http);
}

export async function appToken(idp: TestIdp): Promise<string> {
  const body = (await (await appTokenResponse(idp)).json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`client credentials failed: ${body.error}`);
  return body.access_token;
}

export async function oboRequest(idp: TestIdp, assertion: string, opts: { clientId?: string; secret?: string; scope?: string; tenant?: string } = {}): Promise<Response> {
  const as = await discover(idp, opts.tenant ?? 'contoso');
  return oauth.genericTokenEndpointRequest(
    as,
    { client_id: opts.clientId ?? CONFIDENTIAL_CLIENT_IDS.sampleApi },
    oauth.ClientSecretPost(opts.secret ?? DEV_SECRETS.sampleApi),
    'urn:ietf:params:oauth:grant-type:jwt-bearer',
    { assertion, requested_token_use: 'on_behalf_of', scope: opts.scope ?? 'User.Read' },
    idp.http,
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
