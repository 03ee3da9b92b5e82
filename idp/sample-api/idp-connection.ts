// Where the sample API and the daemon find the IdP when run from the command line:
//   IDP_URL      default https://localhost:5443 (the `npm run idp` default)
//   IDP_CA_CERT  path of the IdP's certificate PEM; default <IDP_DATA_DIR>/tls-cert.pem, where
//   IDP_DATA_DIR defaults to .data/idp at the repository root (where `npm run idp` writes it).
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const DEFAULT_IDP_URL = 'https://localhost:5443';
export const DEFAULT_IDP_DATA_DIR = resolve(import.meta.dirname, '..', '..', '.data', 'idp');

export class IdpCertificateMissingError extends Error {
  override readonly name = 'IdpCertificateMissingError';
  readonly code = 'idp_certificate_missing';
}

export interface IdpConnection {
  idpUrl: string;
  caCertPem: string;
}

export function certPathFrom(env: NodeJS.ProcessEnv): string {
  return env.IDP_CA_CERT || join(env.IDP_DATA_DIR || DEFAULT_IDP_DATA_DIR, 'tls-cert.pem');
}

export async function idpConnectionFrom(env: NodeJS.ProcessEnv): Promise<IdpConnection> {
  const path = certPathFrom(env);
  let caCertPem: string;
  try {
    caCertPem = await readFile(path, 'utf8');
  } catch {
    throw new IdpCertificateMissingError(`The IdP certificate ${path} cannot be read: start the IdP first (npm run idp) or set IDP_CA_CERT.`);
  }
  return { idpUrl: (env.IDP_URL || DEFAULT_IDP_URL).replace(/\/+$/, ''), caCertPem };
}

export function portFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`${name} must be a port number (0-65535), got "${value}"`);
  return port;
}
