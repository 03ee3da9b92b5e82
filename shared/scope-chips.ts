// Scope chips for the token panel: requested vs granted, compared the way the IdP compares scopes
// (case-insensitively), so "User.Read" requested and "user.read" granted is one granted chip, not two.

export type ScopeChipStatus = 'granted' | 'not-granted' | 'extra';

export interface ScopeChip {
  /** The scope as the server spelled it when granted, else as requested. */
  scope: string;
  /** Short label: the last path segment of a resource URI ("api://x/Files.Read" → "Files.Read"). */
  label: string;
  /** For a tooltip: the resource part, if any ("api://x"). */
  resource?: string;
  status: ScopeChipStatus;
}

/** OIDC scopes the IdP may add or drop on its own; they are never "missing". */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export function splitScope(scope: string): { label: string; resource?: string } {
  const slash = scope.lastIndexOf('/');
  if (slash <= 0 || slash === scope.length - 1) return { label: scope };
  return { label: scope.slice(slash + 1), resource: scope.slice(0, slash) };
}

/**
 * One chip per distinct scope: requested and granted → 'granted'; requested but not granted →
 * 'not-granted'; granted without being requested (e.g. previously consented) → 'extra'.
 * Order: requested order first, then extras in server order.
 */
export function scopeChips(requested: readonly string[], granted: readonly string[]): ScopeChip[] {
  const grantedByKey = new Map(granted.map((s) => [s.toLowerCase(), s]));
  const seen = new Set<string>();
  const chips: ScopeChip[] = [];
  for (const scope of requested) {
    const key = scope.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const grantedSpelling = grantedByKey.get(key);
    if (grantedSpelling === undefined && OIDC_SCOPES.has(key)) continue;
    const shown = grantedSpelling ?? scope;
    chips.push({ scope: shown, ...splitScope(shown), status: grantedSpelling === undefined ? 'not-granted' : 'granted' });
  }
  for (const scope of granted) {
    const key = scope.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    chips.push({ scope, ...splitScope(scope), status: 'extra' });
  }
  return chips;
}

/** Parse the free-text "Get token for…" field: space- or comma-separated, de-duplicated. */
export function parseScopeInput(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    if (part === '' || seen.has(part.toLowerCase())) continue;
    seen.add(part.toLowerCase());
    out.push(part);
  }
  return out;
}
