// The confidential client's credential as oauth4webapi's client authentication: a secret
// (client_secret_post, as msal-node sends it) or a certificate's private key (private_key_jwt, the
// assertion signed by oauth4webapi with a jose-imported key). The secret and key never leave here.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { importPKCS8 } from 'jose';
import * as oauth from 'oauth4webapi';
import { ClientAuthError, ClientAuthErrorCode as C } from '../errors.js';

export interface ClientCertificate {
  /** PKCS#8 / PKCS#1 PEM, or a Node KeyObject (RSA). */
  privateKey: string | KeyObject;
  /** Key id sent in the assertion header (Entra: the certificate thumbprint). */
  kid?: string;
}

export interface ClientCredential {
  clientSecret?: string;
  clientCertificate?: ClientCertificate;
}

/** Exactly one credential: a confidential client without one is local misuse, two is ambiguous. */
export function checkCredential(c: ClientCredential): void {
  const count = Number(Boolean(c.clientSecret)) + Number(Boolean(c.clientCertificate));
  if (count !== 1) throw new ClientAuthError(C.invalidArgument, 'A confidential client needs exactly one of auth.clientSecret or auth.clientCertificate');
}

/** Lazily builds (once) the ClientAuth for every token request. */
export function clientAuthFor(c: ClientCredential): () => Promise<oauth.ClientAuth> {
  checkCredential(c);
  let auth: Promise<oauth.ClientAuth> | undefined;
  return () => (auth ??= build(c));
}

async function build(c: ClientCredential): Promise<oauth.ClientAuth> {
  if (c.clientSecret) return oauth.ClientSecretPost(c.clientSecret);
  const cert = c.clientCertificate!;
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    // jose imports PKCS#8 only; a KeyObject or PKCS#1 PEM is normalised through node:crypto first.
    const keyObject = typeof cert.privateKey === 'string' ? createPrivateKey(cert.privateKey) : cert.privateKey;
    const pkcs8 = keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
    key = await importPKCS8(pkcs8, 'RS256');
  } catch (err) {
    throw new ClientAuthError(C.invalidArgument, 'auth.clientCertificate.privateKey is not a usable RSA private key', { cause: err });
  }
  return oauth.PrivateKeyJwt(cert.kid ? { key, kid: cert.kid } : { key });
}
