// Signed hand-backs between the authority and its services on other origins (the federation service's
// sign-in assertion, the interstitial's "done" proof): small ES256 JWTs, each service with its own key.
// Only what the authority must check is here: signature, issuer, audience, lifetime, the sign-in it
// belongs to (`ctx`, the interaction uid) and one-time use (`jti`).
import { randomUUID } from 'node:crypto';
import { errors, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

/** Long enough for a slow browser hop, short enough that a leaked assertion is soon worthless. */
export const ASSERTION_LIFETIME_S = 300;
/** Services and authority run on one machine, but tests may sign "5 minutes ago": a small skew only. */
const CLOCK_TOLERANCE_S = 30;

export interface ServiceKey {
  /** `iss` of everything the service signs, e.g. `https://localhost:PORT/adfs`. */
  issuer: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** A fresh key per IdP run: nothing outside this process ever needs to verify these assertions. */
export async function createServiceKey(issuer: string): Promise<ServiceKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { issuer, privateKey, publicKey };
}

export interface AssertionInput {
  /** JOSE `typ`, distinct per kind so one service's token is never accepted as another's. */
  typ: string;
  aud: string;
  /** The interaction (sign-in) this assertion finishes. */
  ctx: string;
  /** Further string claims (`upn`, `nonce`). */
  claims?: Record<string, string>;
}

export async function signAssertion(key: ServiceKey, input: AssertionInput, nowMs = Date.now()): Promise<string> {
  const now = Math.floor(nowMs / 1000);
  return new SignJWT({ ...input.claims, ctx: input.ctx })
    .setProtectedHeader({ alg: 'ES256', typ: input.typ })
    .setIssuer(key.issuer)
    .setAudience(input.aud)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + ASSERTION_LIFETIME_S)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

export type AssertionFailure = 'malformed' | 'signature' | 'issuer' | 'audience' | 'expired' | 'interaction' | 'replayed';

export type AssertionCheck = { ok: true; claims: JWTPayload & Record<string, unknown> } | { ok: false; reason: AssertionFailure };

export interface VerifyOptions {
  typ: string;
  /** The trusted service's public key and issuer. */
  trusted: { issuer: string; publicKey: CryptoKey };
  audience: string;
  /** The interaction uid the assertion must name. */
  ctx: string;
  used: OneTimeIds;
  nowMs?: number;
}

/** Checks everything, and only then spends the `jti`: a refused assertion cannot burn a good one's id. */
export async function verifyAssertion(token: string, options: VerifyOptions): Promise<AssertionCheck> {
  const nowMs = options.nowMs ?? Date.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, options.trusted.publicKey, {
      algorithms: ['ES256'],
      typ: options.typ,
      issuer: options.trusted.issuer,
      audience: options.audience,
      currentDate: new Date(nowMs),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'iat', 'nbf', 'jti'],
    }));
  } catch (err) {
    return { ok: false, reason: failureOf(err) };
  }
  if (payload.ctx !== options.ctx) return { ok: false, reason: 'interaction' };
  if (!options.used.use(String(payload.jti), (payload.exp! + CLOCK_TOLERANCE_S) * 1000)) return { ok: false, reason: 'replayed' };
  return { ok: true, claims: payload as JWTPayload & Record<string, unknown> };
}

/** By jose's error classes and the claim they name, never by message text. */
function failureOf(err: unknown): AssertionFailure {
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'signature';
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'audience';
    if (err.claim === 'iss') return 'issuer';
    if (err.claim === 'nbf' || err.claim === 'iat') return 'expired';
  }
  return 'malformed';
}

/** Ids that may be used once until they expire (assertion `jti`s). Expired ones are forgotten. */
export class OneTimeIds {
  readonly #seen = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** True the first time; false when the id was used already. */
  use(id: string, expiresAtMs: number): boolean {
    const now = this.#now();
    for (const [seen, until] of this.#seen) if (until <= now) this.#seen.delete(seen);
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, expiresAtMs);
    return true;
  }
}
