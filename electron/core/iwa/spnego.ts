// A SPNEGO token (RFC 4559 "Negotiate") for the IdP host's HTTP service, from the Kerberos ticket of the
// user signed in on this machine: GSSAPI on Linux and macOS, SSPI on Windows, both through the `kerberos`
// npm module. Every failure is an InteractionRequiredAuthError, so the app falls back to the next flow.
import { InteractionRequiredAuthError, InteractionRequiredErrorCode as Code } from '../errors.js';

export type SpnegoProvider = (host: string) => Promise<string>;

/** GSSAPI's messages → stable codes (RECIPES.md lists the strings seen with MIT Kerberos). */
const KERBEROS_FAILURES: [RegExp, Code, string][] = [
  [/No credentials were supplied|No Kerberos credentials|credentials cache/i, 'kerberos_no_ticket', 'No Kerberos ticket is available for the signed-in user'],
  [/Ticket expired/i, 'kerberos_ticket_expired', 'The Kerberos ticket has expired'],
  [/not found in Kerberos database/i, 'kerberos_unknown_service', "The identity provider's HTTP service is not known to the Kerberos realm"],
  [/Cannot find KDC|Cannot contact any KDC|Cannot resolve network address for KDC/i, 'kerberos_realm_unreachable', "The user's Kerberos realm cannot be reached"],
  [/Clock skew/i, 'kerberos_clock_skew', "The machine's clock is too far from the Kerberos server's"],
];

export function classifyKerberosFailure(message: string): { code: Code; message: string } {
  for (const [pattern, code, text] of KERBEROS_FAILURES) if (pattern.test(message)) return { code, message: text };
  return { code: 'kerberos_failed', message: 'Kerberos could not produce a ticket for the identity provider' };
}

/** `HTTP@host`: the GSSAPI host-based service name of the IdP, as Chromium and curl use. */
export const servicePrincipalFor = (host: string): string => `HTTP@${host}`;

export const kerberosSpnego: SpnegoProvider = async (host) => {
  let kerberos: typeof import('kerberos');
  try {
    kerberos = (await import('kerberos')).default as unknown as typeof import('kerberos');
  } catch (cause) {
    throw new InteractionRequiredAuthError('kerberos_unavailable', 'Kerberos support is not installed on this machine', { cause });
  }
  try {
    const client = await kerberos.initializeClient(servicePrincipalFor(host), { mechOID: kerberos.GSS_MECH_OID_SPNEGO });
    return await client.step('');
  } catch (cause) {
    const failure = classifyKerberosFailure(String((cause as Error)?.message ?? cause));
    throw new InteractionRequiredAuthError(failure.code, failure.message, { cause });
  }
};
