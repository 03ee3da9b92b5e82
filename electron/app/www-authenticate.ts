// `WWW-Authenticate` (RFC 7235 §4.1) as a pure parser, and the claims challenge in it (RFC 6750 + Entra's
// CAE: `Bearer error="insufficient_claims", claims="<base64 JSON>"`). One header can carry several
// challenges (`Bearer realm="a", error="x", Basic realm="b"`), commas separating both challenges and
// parameters, so it is tokenized rather than split. The header comes from a server: every size is
// bounded, and anything malformed gives no challenge rather than a guess.

export interface AuthChallenge {
  /** Lower-cased: schemes are case-insensitive. */
  scheme: string;
  token68?: string;
  /** Parameter names lower-cased (case-insensitive); values unquoted and unescaped. */
  params: Record<string, string>;
}

export interface ClaimsChallenge {
  /** The decoded claims request: JSON text of an object, to send as the `claims` parameter. */
  claims: string;
  /** The Bearer challenge's other parameters (error, realm, authorization_uri…). */
  params: Record<string, string>;
}

export const WWW_AUTHENTICATE_LIMITS = { headerLength: 16 * 1024, challenges: 16, params: 32, claimsLength: 8 * 1024 } as const;

// RFC 7230 tchar; RFC 7235 token68.
const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;
const TOKEN68 = /[A-Za-z0-9\-._~+/]/;

class Malformed extends Error {}

/** Every challenge of the header, in order; `[]` for an empty, oversized or malformed header. */
export function parseWwwAuthenticate(header: string | null | undefined): AuthChallenge[] {
  if (typeof header !== 'string' || header.length > WWW_AUTHENTICATE_LIMITS.headerLength) return [];
  try {
    return parse(header);
  } catch (error) {
    if (error instanceof Malformed) return [];
    throw error;
  }
}

function parse(h: string): AuthChallenge[] {
  let i = 0;
  const ws = () => {
    while (i < h.length && (h[i] === ' ' || h[i] === '\t')) i++;
  };
  const separators = () => {
    while (i < h.length && (h[i] === ' ' || h[i] === '\t' || h[i] === ',')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < h.length && TCHAR.test(h[i]!)) i++;
    return h.slice(start, i);
  };
  const quoted = (): string => {
    i++; // opening quote
    let out = '';
    while (i < h.length && h[i] !== '"') {
      if (h[i] === '\\') i++; // quoted-pair: the next character stands for itself
      if (i >= h.length) throw new Malformed();
      const c = h.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09) || c === 0x7f) throw new Malformed();
      out += h[i];
      i++;
    }
    if (h[i] !== '"') throw new Malformed(); // unterminated
    i++;
    return out;
  };

  const challenges: AuthChallenge[] = [];
  separators();
  while (i < h.length) {
    if (challenges.length >= WWW_AUTHENTICATE_LIMITS.challenges) throw new Malformed();
    const scheme = token();
    if (!scheme) throw new Malformed();
    const challenge: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    challenges.push(challenge);
    const hadSpace = h[i] === ' ' || h[i] === '\t';
    ws();
    if (i >= h.length || h[i] === ',') {
      separators();
      continue; // a scheme alone
    }
    if (!hadSpace) throw new Malformed();

    // token68: its characters, then `=` padding, then the end or a comma (not `name=value`).
    const start = i;
    while (i < h.length && TOKEN68.test(h[i]!)) i++;
    while (h[i] === '=') i++;
    const candidate = h.slice(start, i);
    ws();
    if (candidate && (i >= h.length || h[i] === ',') && !/^[^=]*=[^=]/.test(candidate)) {
      challenge.token68 = candidate.trim();
      separators();
      continue;
    }
    i = start;

    // #auth-param, until a token not followed by `=` (the next challenge's scheme) or the end.
    for (;;) {
      const paramStart = i;
      const name = token();
      if (!name) throw new Malformed();
      ws();
      if (h[i] !== '=') {
        // The next challenge begins: its scheme must follow a comma.
        if (Object.keys(challenge.params).length === 0) throw new Malformed();
        i = paramStart;
        break;
      }
      i++;
      ws();
      const value = h[i] === '"' ? quoted() : token();
      const key = name.toLowerCase();
      // A repeated parameter is an error (RFC 7235 §2.1), and a way to smuggle a second `claims`.
      if (Object.hasOwn(challenge.params, key)) throw new Malformed();
      if (Object.keys(challenge.params).length >= WWW_AUTHENTICATE_LIMITS.params) throw new Malformed();
      challenge.params[key] = value;
      ws();
      if (i >= h.length) break;
      if (h[i] !== ',') throw new Malformed();
      separators();
      if (i >= h.length) break;
    }
  }
  return challenges;
}

/**
 * The claims request carried by a base64 or base64url `claims` value (padding optional): JSON text of
 * an object, or undefined when it is anything else (bad alphabet, not UTF-8, not an object, too long).
 */
export function decodeClaims(value: string): string | undefined {
  if (value.length === 0 || value.length > Math.ceil((WWW_AUTHENTICATE_LIMITS.claimsLength * 4) / 3) + 4) return undefined;
  const body = value.replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/_-]+$/.test(body) || body.length % 4 === 1) return undefined;
  // One alphabet or the other, not a mix (a mix is no encoder's output).
  if (/[+/]/.test(body) && /[-_]/.test(body)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(body.replace(/\+/g, '-').replace(/\//g, '_'), 'base64url'));
  } catch {
    return undefined;
  }
  if (text.length > WWW_AUTHENTICATE_LIMITS.claimsLength) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && Object.keys(parsed).length > 0 ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The claims challenge of a 401 answer: the Bearer challenge with `error="insufficient_claims"` and a
 * decodable `claims`. Undefined for any other answer (a plain invalid_token, another scheme, garbage).
 */
export function claimsChallengeOf(header: string | null | undefined): ClaimsChallenge | undefined {
  for (const challenge of parseWwwAuthenticate(header)) {
    if (challenge.scheme !== 'bearer' || challenge.params.error !== 'insufficient_claims') continue;
    const raw = challenge.params.claims;
    const claims = raw === undefined ? undefined : decodeClaims(raw);
    if (!claims) continue;
    const { claims: _omitted, ...params } = challenge.params;
    return { claims, params };
  }
  return undefined;
}
