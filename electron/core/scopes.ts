// Scopes are normalised once into this value object: case-insensitive, de-duplicated, with the OIDC
// scopes MSAL adds to every request (openid profile offline_access) kept apart from resource scopes,
// because a cached access token is looked up by its resource scopes only (as MSAL does).

export const OIDC_SCOPES = ['openid', 'profile', 'offline_access'] as const;
const OIDC = new Set<string>(OIDC_SCOPES);

export class ScopeSet {
  /** Lower-cased, unique, sorted: the comparison form. */
  private readonly lower: ReadonlySet<string>;
  /** Original spellings, in first-seen order, for requests and results. */
  readonly values: readonly string[];

  private constructor(values: readonly string[]) {
    const seen = new Map<string, string>();
    for (const raw of values) {
      const v = raw.trim();
      if (v && !seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
    }
    this.values = [...seen.values()];
    this.lower = new Set(seen.keys());
  }

  static from(input: readonly string[] | string | ScopeSet | undefined): ScopeSet {
    if (input instanceof ScopeSet) return input;
    if (input === undefined) return new ScopeSet([]);
    return new ScopeSet(typeof input === 'string' ? input.split(/\s+/) : input);
  }

  has(scope: string): boolean {
    return this.lower.has(scope.toLowerCase());
  }
  get size(): number {
    return this.lower.size;
  }
  /** True when every scope of `other` is here. */
  containsAll(other: ScopeSet): boolean {
    for (const s of other.lower) if (!this.lower.has(s)) return false;
    return true;
  }
  union(other: ScopeSet | readonly string[]): ScopeSet {
    return new ScopeSet([...this.values, ...ScopeSet.from(other).values]);
  }
  /** The resource scopes: what an access token is cached under. */
  withoutOidc(): ScopeSet {
    return new ScopeSet(this.values.filter((s) => !OIDC.has(s.toLowerCase())));
  }
  /** What is sent to the authority: the request plus openid profile offline_access. */
  forRequest(): ScopeSet {
    return this.union(OIDC_SCOPES as unknown as string[]);
  }
  /** Space-separated, original spelling: the `scope` parameter and MSAL's `target` field. */
  toString(): string {
    return this.values.join(' ');
  }
  /** Lower-cased, sorted: a stable key for single-flight and indexes. */
  key(): string {
    return [...this.lower].sort().join(' ');
  }
  intersects(other: ScopeSet): boolean {
    for (const s of other.lower) if (this.lower.has(s)) return true;
    return false;
  }
}
