// Every request reaching the IdP, by method and path (never the query string: it carries codes).
// Engine tests use it to prove a silent cache hit makes zero requests.

export interface RecordedRequest {
  method: string;
  path: string;
  at: number;
}

/** A path fragment (substring match), a RegExp, or a predicate. */
export type RequestFilter = string | RegExp | ((r: RecordedRequest) => boolean);

export class RequestLog {
  #entries: RecordedRequest[] = [];

  record(method: string, path: string): void {
    this.#entries.push({ method, path, at: Date.now() });
  }

  count(filter?: RequestFilter): number {
    return this.list(filter).length;
  }

  list(filter?: RequestFilter): RecordedRequest[] {
    return this.#entries.filter((r) => matches(r, filter));
  }

  reset(): void {
    this.#entries = [];
  }
}

function matches(r: RecordedRequest, filter: RequestFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'string') return r.path.includes(filter);
  if (filter instanceof RegExp) return filter.test(r.path);
  return filter(r);
}
