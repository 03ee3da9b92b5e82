// The few things the IPC contract needs beyond plain zod, and the one way the app reads a zod result.
//  - `request()`: a strict object (an unknown field is an error, not a silent no-op) that is also a
//    plain object, as everything that crossed structured clone or JSON is.
//  - `jsonValue()` / `jsonRecord()`: bounded JSON (ID token claims, a sample API's answer), copied so that
//    a key named `__proto__` stays data: zod's own record parsing drops such a key.
//  - `check()` / `safeIssues()`: safeParse, with issues turned into "path: rule" strings built from the
//    issue's path and code (plus the schema's own bounds), never from zod's messages, which may name
//    received keys or values.
import * as z from 'zod';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Rules our own custom checks report (`params.rule`), and the text they become. */
const CUSTOM_RULES = new Map([
  ['plain_object', 'expected an object'],
  ['not_json', 'not a JSON value'],
  ['non_finite', 'non-finite number'],
  ['too_deep', 'nested too deeply'],
  ['too_many', 'too many entries'],
  ['unsafe_link', 'must be an https link (http only on loopback)'],
] as const);
export type CustomRule = typeof CUSTOM_RULES extends Map<infer K, unknown> ? K : never;

export function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

/**
 * A request's shape: exactly these keys, on a plain object. The plain-object check comes first
 * because zod's object accepts class instances and objects with any prototype.
 */
export function request<S extends z.ZodRawShape>(shape: S) {
  const strict = z.strictObject(shape);
  return z.custom<z.input<typeof strict>>(isPlainObject, { params: { rule: 'plain_object' satisfies CustomRule } }).pipe(strict);
}

type Copied = { ok: true; value: JsonValue } | { ok: false; path: PropertyKey[]; rule: CustomRule };

function copyJson(input: unknown, path: PropertyKey[], depth: number, maxDepth: number, maxEntries: number): Copied {
  if (input === null || typeof input === 'string' || typeof input === 'boolean') return { ok: true, value: input };
  if (typeof input === 'number') return Number.isFinite(input) ? { ok: true, value: input } : { ok: false, path, rule: 'non_finite' };
  if (depth >= maxDepth) return { ok: false, path, rule: 'too_deep' };
  if (Array.isArray(input)) {
    if (input.length > maxEntries) return { ok: false, path, rule: 'too_many' };
    const out: JsonValue[] = [];
    for (const [i, v] of input.entries()) {
      const r = copyJson(v, [...path, i], depth + 1, maxDepth, maxEntries);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (isPlainObject(input)) {
    const entries = Object.entries(input);
    if (entries.length > maxEntries) return { ok: false, path, rule: 'too_many' };
    const out: { [key: string]: JsonValue } = {};
    for (const [k, v] of entries) {
      const r = copyJson(v, [...path, k], depth + 1, maxDepth, maxEntries);
      if (!r.ok) return r;
      // Defined, not assigned: a claim named `__proto__` would otherwise set the copy's prototype
      // (and vanish from it) instead of being kept as the plain data it is.
      Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
    }
    return { ok: true, value: out };
  }
  return { ok: false, path, rule: 'not_json' };
}

interface JsonRules {
  maxDepth?: number;
  maxEntries?: number;
}

function boundedJson<T extends JsonValue>(objectOnly: boolean, { maxDepth = 8, maxEntries = 500 }: JsonRules) {
  return z.unknown().transform((input, ctx): T => {
    const r: Copied = objectOnly && !isPlainObject(input) ? { ok: false, path: [], rule: 'plain_object' } : copyJson(input, [], 0, maxDepth, maxEntries);
    if (r.ok) return r.value as T;
    ctx.issues.push({ code: 'custom', input: undefined, path: r.path, message: r.rule, params: { rule: r.rule } });
    return z.NEVER;
  });
}

/** Any JSON value, bounded in depth and size, as a fresh copy. */
export const jsonValue = (rules: JsonRules = {}) => boundedJson<JsonValue>(false, rules);

/** An object whose keys are free-form (ID token claims) and whose values are JSON. */
export const jsonRecord = (rules: JsonRules = {}) => boundedJson<{ [key: string]: JsonValue }>(true, rules);

// ---- reading a result -----------------------------------------------------------------------------

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: string[] };

/** At most this many issues are described: the rest are counted. */
const MAX_ISSUES = 10;

const EXPECTED = new Map<string, string>([
  ['string', 'expected a string'],
  ['number', 'expected a finite number'],
  ['int', 'expected an integer'],
  ['boolean', 'expected a boolean'],
  ['array', 'expected an array'],
  ['object', 'expected an object'],
  ['record', 'expected an object'],
  ['null', 'expected null'],
  ['undefined', 'expected no argument'],
  ['void', 'expected no argument'],
]);

/** Keys the contract names are identifiers; a key from the data (a claim name) is shown only if it looks like one. */
const SHOWN_KEY = /^[A-Za-z_$][\w$-]{0,63}$/;

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && SHOWN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += '[…]';
  }
  return out || '(root)';
}

/** A bound from the schema (never from the input), as text. */
const bound = (n: number | bigint): string => (typeof n === 'bigint' || Number.isFinite(n) ? String(n) : '?');

function ruleText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return EXPECTED.get(issue.expected) ?? 'has the wrong type';
    case 'too_small': {
      const n = bound(issue.minimum);
      if (issue.origin === 'string') return `shorter than ${n}`;
      if (issue.origin === 'array') return `fewer than ${n} items`;
      return issue.inclusive === false ? `not above ${n}` : `below ${n}`;
    }
    case 'too_big': {
      const n = bound(issue.maximum);
      if (issue.origin === 'string') return `longer than ${n}`;
      if (issue.origin === 'array') return `more than ${n} items`;
      return issue.inclusive === false ? `not below ${n}` : `above ${n}`;
    }
    case 'invalid_format':
      return 'has an unexpected format';
    case 'invalid_value':
      return 'is not one of the allowed values';
    case 'unrecognized_keys':
      // Their names come from the input: counted, not echoed.
      return `has ${issue.keys.length} unexpected field(s)`;
    case 'invalid_union':
      return 'matches none of the allowed shapes';
    case 'custom': {
      const rule: unknown = issue.params?.rule;
      return (typeof rule === 'string' && CUSTOM_RULES.get(rule as CustomRule)) || 'is invalid';
    }
    default:
      return 'is invalid';
  }
}

/** zod issues → "path: rule" strings that are safe to log and show: no received value is ever echoed. */
export function safeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => `${pathText(issue.path)}: ${ruleText(issue)}`);
  if (issues.length > MAX_ISSUES) shown.push(`(and ${issues.length - MAX_ISSUES} more)`);
  return shown;
}

/**
 * safeParse as the app reads it. A value that cannot even be read (a throwing getter, a revoked
 * proxy) is an issue too, never a throw.
 */
export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  let result: ReturnType<S['safeParse']>;
  try {
    result = schema.safeParse(input) as ReturnType<S['safeParse']>;
  } catch {
    return { ok: false, issues: ['(root): could not be read'] };
  }
  return result.success ? { ok: true, value: result.data as z.output<S> } : { ok: false, issues: safeIssues(result.error.issues) };
}
