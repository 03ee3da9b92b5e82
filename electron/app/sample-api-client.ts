// The desktop app's call to the sample API (issue 7): GET /me or /obo with the user's access token for
// `api://sample-api/access_as_user`. Returns the API's status and parsed JSON answer for the UI; the
// token goes only into the Authorization header and never into the result, a log or an error.

export type SampleApiEndpoint = 'me' | 'obo';

export interface CallSampleApiRequest {
  /** The API's base URL, e.g. `http://127.0.0.1:5050`. */
  baseUrl: string;
  accessToken: string;
  endpoint: SampleApiEndpoint;
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
  signal?: AbortSignal;
}

export interface SampleApiAnswer {
  status: number;
  url: string;
  /** Parsed JSON; a non-JSON answer becomes `{ error: 'non_json_response', text }` (first 500 chars). */
  body: unknown;
  /** The API's WWW-Authenticate challenge on 401/403 (error and description, no token). */
  wwwAuthenticate?: string;
}

export class SampleApiCallError extends Error {
  override readonly name = 'SampleApiCallError';
  constructor(
    readonly code: 'invalid_endpoint' | 'invalid_base_url' | 'network_error',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const ENDPOINTS: Record<SampleApiEndpoint, string> = { me: '/me', obo: '/obo' };

export function sampleApiUrl(baseUrl: string, endpoint: SampleApiEndpoint): string {
  const path = ENDPOINTS[endpoint];
  if (!path) throw new SampleApiCallError('invalid_endpoint', `Unknown sample API endpoint: ${String(endpoint)}`);
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new SampleApiCallError('invalid_base_url', 'The sample API base URL is not a URL');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new SampleApiCallError('invalid_base_url', 'The sample API base URL must be http(s)');
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`;
}

export async function callSampleApi(request: CallSampleApiRequest): Promise<SampleApiAnswer> {
  const url = sampleApiUrl(request.baseUrl, request.endpoint);
  let response: Response;
  try {
    response = await request.fetch(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${request.accessToken}`, accept: 'application/json' },
      ...(request.signal ? { signal: request.signal } : {}),
    });
  } catch (err) {
    // The cause's message could only name the URL; it is dropped anyway so nothing request-shaped leaks.
    throw new SampleApiCallError('network_error', `The sample API at ${new URL(url).origin} could not be reached`, { cause: new Error((err as Error)?.name ?? 'Error') });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: 'non_json_response', text: text.slice(0, 500) };
  }
  const challenge = response.headers.get('www-authenticate');
  return { status: response.status, url, body, ...(challenge ? { wwwAuthenticate: challenge } : {}) };
}
