// What the /obo endpoint reports about a token: its audience, scopes, roles, tenant and user, never the
// token. The API received the downstream token straight from the IdP over pinned TLS, so it only
// decodes it for display (the downstream API is the one that validates it).
import { decodeJwt } from 'jose';

export interface TokenSummary {
  aud: unknown;
  scp?: string[];
  roles?: string[];
  tid?: unknown;
  oid?: unknown;
  azp?: unknown;
  preferred_username?: unknown;
  expiresAt?: string;
}

export function summarize(claims: Record<string, unknown>): TokenSummary {
  const scp = typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : undefined;
  const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).map(String) : undefined;
  return {
    aud: claims.aud,
    ...(scp ? { scp } : {}),
    ...(roles ? { roles } : {}),
    tid: claims.tid,
    ...(claims.oid !== undefined ? { oid: claims.oid } : {}),
    azp: claims.azp,
    ...(claims.preferred_username !== undefined ? { preferred_username: claims.preferred_username } : {}),
    ...(typeof claims.exp === 'number' ? { expiresAt: new Date(claims.exp * 1000).toISOString() } : {}),
  };
}

export function summarizeToken(token: string): TokenSummary {
  return summarize(decodeJwt(token) as Record<string, unknown>);
}
