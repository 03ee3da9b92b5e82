// Client credentials as Entra shapes them: the client asks for `<api>/.default` and gets an app-only
// token for that API with its app roles in `roles`, no `scp` and no user. oidc-provider runs the grant
// itself (features.clientCredentials); this module only decides the claims of such a token.
import { rolesFor, SERVICE_PRINCIPAL_OIDS } from './confidential-clients.js';

/** What `extraTokenClaims` sees of a token (a subset of oidc-provider's token models). */
export interface TokenLike {
  kind?: string;
  clientId?: string;
  scope?: string;
  resourceServer?: { audience?: string } | undefined;
}

export function isAppOnly(token: TokenLike): boolean {
  return token.kind === 'ClientCredentials';
}

/** `roles` for the token's API, `idtyp: app` and the service principal's `oid` (Entra's app-only shape). */
export function appOnlyClaims(token: TokenLike): Record<string, unknown> {
  const clientId = token.clientId ?? '';
  // The APIs' audience equals their resource identifier (directory.ts), so either names the API.
  const resource = token.resourceServer?.audience;
  const roles = rolesFor(clientId, resource);
  const oid = SERVICE_PRINCIPAL_OIDS[clientId];
  return { idtyp: 'app', ...(oid ? { oid } : {}), ...(roles.length ? { roles } : {}) };
}
