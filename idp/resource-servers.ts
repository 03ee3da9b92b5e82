// The protected APIs as oidc-provider resource servers: JWT access tokens with the API's own audience.
import type { ResourceServer } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { apiForResource } from './resources.js';

export function resourceServerInfo(resource: string): ResourceServer {
  const api = apiForResource(resource);
  if (!api) throw new errors.InvalidTarget(`unknown resource ${resource}`);
  return {
    scope: api.scopes.join(' '),
    audience: api.audience,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  };
}
