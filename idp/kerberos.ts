// HTTP Negotiate (RFC 4559) on the sign-in step, as ADFS and IIS offer it: a SPNEGO token from the
// client's Kerberos ticket for our `HTTP/<host>` service is checked with the service keytab, and the
// client principal names the demo user. The keytab is found the standard way, through KRB5_KTNAME.
import { isDisabled } from './accounts.js';
import { findUserByLogin, type Tenant } from './directory.js';
import type { IdpSettings } from './settings.js';

/** What `startDevIdp({ kerberos })` turns on. */
export interface KerberosOptions {
  /**
   * Service keytab. libkrb5 reads it only from the KRB5_KTNAME environment variable, so this sets
   * `process.env.KRB5_KTNAME` for the whole process. Leave it out when KRB5_KTNAME is already set.
   */
  keytab?: string;
}

export interface KerberosAcceptor {
  /** `HTTP@<host>`: the GSSAPI host-based name of the service whose key is in the keytab. */
  readonly service: string;
  /** The client principal (`alice@REALM`) of a valid token; throws on anything else. */
  accept(token: string): Promise<string>;
}

export const NEGOTIATE_ERRORS = {
  rejected: 'Windows sign-in did not work. Sign in with your username and password.',
  unknownUser: 'Your Windows account has no account in this organization. Sign in with your username and password.',
  disabled: 'Your account has been disabled. Contact your administrator.',
  otherUser: 'You are signed in to Windows as someone else than the account asked for. Sign in with your username and password.',
} as const;

/** The base64 token of an `Authorization: Negotiate <token>` header, or undefined. */
export function negotiateToken(header: string | undefined): string | undefined {
  const match = /^\s*Negotiate\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** `alice@TEST.LOCAL` → `alice` (the user's name in the directory, as Entra maps on-premises UPN prefixes). */
export const userNameOfPrincipal = (principal: string): string => principal.split('@')[0] ?? '';

/** prompt=login asks for credentials to be typed (adding another account): no single sign-on then. */
export function asksForCredentials(prompt: unknown): boolean {
  return typeof prompt === 'string' && prompt.split(' ').includes('login');
}

export type NegotiateOutcome = { ok: true; accountId: string } | { ok: false; error?: string };

/**
 * The pure part of a Negotiate sign-in: which demo user a verified principal is, under the same rules
 * as the password form (member of the tenant, not disabled) and the login_hint, if any.
 */
export function resolvePrincipal(tenant: Tenant, settings: IdpSettings, principal: string, loginHint?: string): NegotiateOutcome {
  const tu = findUserByLogin(tenant.id, userNameOfPrincipal(principal));
  if (!tu) return { ok: false, error: NEGOTIATE_ERRORS.unknownUser };
  if (isDisabled(settings, tu)) return { ok: false, error: NEGOTIATE_ERRORS.disabled };
  if (loginHint) {
    const hinted = findUserByLogin(tenant.id, loginHint);
    if (hinted && hinted.user.username !== tu.user.username) return { ok: false, error: NEGOTIATE_ERRORS.otherUser };
  }
  return { ok: true, accountId: tu.membership.oid };
}

/** The `kerberos` npm module as the acceptor (SSPI on Windows, GSSAPI elsewhere), loaded on first use. */
export function createKerberosAcceptor(host: string, options: KerberosOptions = {}): KerberosAcceptor {
  if (options.keytab) process.env.KRB5_KTNAME = `FILE:${options.keytab}`;
  const service = `HTTP@${host}`;
  return {
    service,
    async accept(token) {
      const kerberos = (await import('kerberos')).default as unknown as typeof import('kerberos');
      // One context per token: the replay cache in libkrb5 rejects a token seen before.
      const server = await kerberos.initializeServer(service);
      await server.step(token);
      if (!server.username) throw new Error('Negotiate exchange ended without a client principal');
      return server.username;
    },
  };
}

/**
 * Verify the request's Negotiate token, if any. `error` is absent when there was no token (first
 * visit: show the form with the challenge); present when a token was refused.
 */
export async function negotiateSignIn(
  acceptor: KerberosAcceptor,
  authorization: string | undefined,
  resolve: (principal: string) => NegotiateOutcome,
  log: (line: string) => void,
): Promise<NegotiateOutcome> {
  const token = negotiateToken(authorization);
  if (!token) return { ok: false };
  let principal: string;
  try {
    principal = await acceptor.accept(token);
  } catch (err) {
    // GSSAPI's reason ("Request is a replay", "Ticket expired") helps whoever runs the IdP and holds
    // nothing secret; the token itself is never logged.
    log(`Negotiate token refused: ${reason(err)}`);
    return { ok: false, error: NEGOTIATE_ERRORS.rejected };
  }
  return resolve(principal);
}

function reason(err: unknown): string {
  const message = String((err as Error)?.message ?? err);
  return message.replace(/^.*Minor code may provide more information:\s*/s, '').slice(0, 200);
}
