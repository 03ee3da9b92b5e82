// A deliberately tiny runtime-validation kit for the IPC contract. Hand-written instead of a library
// because the contract needs only a handful of shapes, and the preload bundle should stay small and
// dependency-free. Two properties matter for security:
//  - every value crossing IPC is checked against the contract on the receiving side;
//  - `object()` copies only the keys it knows, so a stray field (say a refresh token that a handler
//    forgot to drop) never crosses the boundary even when the handler's type was loosened with a cast.

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: string[] };

export interface Schema<T> {
  /** Human-readable shape, used in messages. */
  readonly describe: string;
  readonly isOptional?: boolean;
  parse(input: unknown, path?: string): ParseResult<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
const fail = (path: string, message: string): ParseResult<never> => ({ ok: false, issues: [`${path || '(root)'}: ${message}`] });

function schema<T>(describe: string, parse: (input: unknown, path: string) => ParseResult<T>): Schema<T> {
  return { describe, parse: (input, path = '') => parse(input, path) };
}

export interface StringRules {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
}

/** Strings are bounded by default: nothing legitimate in this app is longer than 8 KiB. */
export function string(rules: StringRules = {}): Schema<string> {
  const { minLength = 0, maxLength = 8192, pattern } = rules;
  return schema('string', (input, path) => {
    if (typeof input !== 'string') return fail(path, 'expected a string');
    if (input.length < minLength) return fail(path, `shorter than ${minLength}`);
    if (input.length > maxLength) return fail(path, `longer than ${maxLength}`);
    if (pattern && !pattern.test(input)) return fail(path, 'has an unexpected format');
    return ok(input);
  });
}

export function number(rules: { integer?: boolean; min?: number; max?: number } = {}): Schema<number> {
  return schema('number', (input, path) => {
    if (typeof input !== 'number' || !Number.isFinite(input)) return fail(path, 'expected a finite number');
    if (rules.integer && !Number.isInteger(input)) return fail(path, 'expected an integer');
    if (rules.min !== undefined && input < rules.min) return fail(path, `below ${rules.min}`);
    if (rules.max !== undefined && input > rules.max) return fail(path, `above ${rules.max}`);
    return ok(input);
  });
}

export function boolean(): Schema<boolean> {
  return schema('boolean', (input, path) => (typeof input === 'boolean' ? ok(input) : fail(path, 'expected a boolean')));
}

export function oneOf<const T extends readonly (string | number | boolean)[]>(values: T): Schema<T[number]> {
  return schema(values.map((v) => JSON.stringify(v)).join(' | '), (input, path) =>
    (values as readonly unknown[]).includes(input) ? ok(input as T[number]) : fail(path, `expected one of ${values.join(', ')}`),
  );
}

/** Accepts nothing: the request of a method that takes no argument (undefined or null from IPC). */
export function none(): Schema<void> {
  return schema('nothing', (input, path) => (input === undefined || input === null ? ok(undefined) : fail(path, 'expected no argument')));
}

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return {
    describe: `${inner.describe}?`,
    isOptional: true,
    parse: (input, path = '') => (input === undefined ? ok(undefined) : inner.parse(input, path)),
  };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema(`${inner.describe} | null`, (input, path) => (input === null ? ok(null) : inner.parse(input, path)));
}

export function array<T>(item: Schema<T>, rules: { maxLength?: number } = {}): Schema<T[]> {
  const { maxLength = 1000 } = rules;
  return schema(`${item.describe}[]`, (input, path) => {
    if (!Array.isArray(input)) return fail(path, 'expected an array');
    if (input.length > maxLength) return fail(path, `more than ${maxLength} items`);
    const out: T[] = [];
    for (const [i, element] of input.entries()) {
      const r = item.parse(element, `${path}[${i}]`);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  });
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { isOptional: true } ? K : undefined extends Infer<S[K]> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type InferShape<S extends Shape> = Simplify<{ [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Infer<S[K]> }>;

function isPlainObject(input: unknown): input is Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return false;
  const proto = Object.getPrototypeOf(input);
  return proto === Object.prototype || proto === null;
}

/**
 * A plain object with exactly these keys. Unknown keys are dropped ('strip', for responses and events)
 * or refused ('reject', for requests coming from the renderer, so a typo is an error, not a no-op).
 */
export function object<S extends Shape>(shape: S, options: { unknownKeys?: 'strip' | 'reject' } = {}): Schema<InferShape<S>> {
  const unknownKeys = options.unknownKeys ?? 'strip';
  const describe = `{ ${Object.entries(shape).map(([k, s]) => `${k}${s.isOptional ? '?' : ''}: ${s.describe}`).join('; ')} }`;
  return schema(describe, (input, path) => {
    if (!isPlainObject(input)) return fail(path, 'expected an object');
    if (unknownKeys === 'reject') {
      const extra = Object.keys(input).filter((k) => !Object.hasOwn(shape, k));
      if (extra.length > 0) return fail(path, `unexpected field(s) ${extra.join(', ')}`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, fieldSchema] of Object.entries(shape)) {
      const r = fieldSchema.parse(input[key], path ? `${path}.${key}` : key);
      if (!r.ok) return r;
      if (r.value !== undefined) out[key] = r.value;
    }
    return ok(out as InferShape<S>);
  });
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Any JSON value, bounded in depth and size (ID token claims, a sample API's answer). */
export function json(rules: { maxDepth?: number; maxEntries?: number } = {}): Schema<JsonValue> {
  const { maxDepth = 8, maxEntries = 500 } = rules;
  const check = (input: unknown, path: string, depth: number): ParseResult<JsonValue> => {
    if (input === null || typeof input === 'string' || typeof input === 'boolean') return ok(input);
    if (typeof input === 'number') return Number.isFinite(input) ? ok(input) : fail(path, 'non-finite number');
    if (depth >= maxDepth) return fail(path, 'nested too deeply');
    if (Array.isArray(input)) {
      if (input.length > maxEntries) return fail(path, 'too many entries');
      const out: JsonValue[] = [];
      for (const [i, v] of input.entries()) {
        const r = check(v, `${path}[${i}]`, depth + 1);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return ok(out);
    }
    if (isPlainObject(input)) {
      const entries = Object.entries(input);
      if (entries.length > maxEntries) return fail(path, 'too many entries');
      const out: { [key: string]: JsonValue } = {};
      for (const [k, v] of entries) {
        const r = check(v, `${path}.${k}`, depth + 1);
        if (!r.ok) return r;
        // Defined, not assigned: a claim named `__proto__` would otherwise set the copy's prototype
        // (and vanish from it) instead of being kept as the plain data it is.
        Object.defineProperty(out, k, { value: r.value, enumerable: true, writable: true, configurable: true });
      }
      return ok(out);
    }
    return fail(path, 'not a JSON value');
  };
  return schema('json', (input, path) => check(input, path, 0));
}

/** An object whose keys are free-form (ID token claims) and whose values are JSON. */
export function jsonRecord(): Schema<Record<string, JsonValue>> {
  const inner = json();
  return schema('Record<string, json>', (input, path) => {
    if (!isPlainObject(input)) return fail(path, 'expected an object');
    return inner.parse(input, path) as ParseResult<Record<string, JsonValue>>;
  });
}
