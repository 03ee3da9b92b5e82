// Fields Entra adds to every token response on top of RFC 6749's.

/** Entra sends `refresh_in` (half the lifetime) only for tokens living two hours or more. */
export const REFRESH_IN_THRESHOLD_SECONDS = 2 * 60 * 60;

export interface EntraResponseExtras {
  ext_expires_in?: number;
  refresh_in?: number;
  client_info?: string;
}

export function entraResponseExtras(expiresIn: unknown, clientInfo: string | undefined): EntraResponseExtras {
  const extras: EntraResponseExtras = {};
  if (typeof expiresIn === 'number') {
    // Entra's "extended" lifetime only differs during an outage; equal to expires_in otherwise.
    extras.ext_expires_in = expiresIn;
    if (expiresIn >= REFRESH_IN_THRESHOLD_SECONDS) extras.refresh_in = Math.floor(expiresIn / 2);
  }
  if (clientInfo) extras.client_info = clientInfo;
  return extras;
}
