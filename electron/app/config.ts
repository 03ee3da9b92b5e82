// The app's configuration: defaults that point at the bundled local IdP, a JSON file, then environment
// variables, in that order. A real Entra tenant is one file (or three variables) away: see the README.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

export interface ApiConfig {
  /** Stable id the UI and IPC use ("graph", "sample-api"). */
  id: string;
  label: string;
  scopes: string[];
}

export interface AppConfig {
  /** `null` = start the bundled local IdP and use its `localTenant`. */
  authority: string | null;
  localTenant: string;
  clientId: string;
  protocolMode: 'entra' | 'oidc';
  /** Scopes asked for at sign-in (the first API's, so sign-in already yields a usable token). */
  signInScopes: string[];
  apis: ApiConfig[];
  iwa: { enabled: boolean };
  deviceCode: { enabled: boolean };
  /** ROPC: not recommended by the MSAL documents, so off unless set on purpose. */
  allowUsernamePassword: boolean;
  /** A fixed loopback port for the redirect, when an app registration needs one; null = ephemeral. */
  loopbackPort: number | null;
  /**
   * For servers that compare redirect URIs as exact strings: when `loopbackPort` is taken, fail at once
   * (loopback_port_unavailable) instead of using another port that such a server would refuse.
   */
  loopbackPortStrict: boolean;
  /** The sample API the "Call sample API" action calls; null = the bundled one with the local IdP (else none). */
  sampleApiUrl: string | null;
  /**
   * A PEM file of CA certificates the engine trusts beyond Node's roots and the OS store (a corporate
   * TLS-inspection root): NODE_EXTRA_CA_CERTS does not reach a packaged app. Absolute path; null = none.
   */
  extraCaFile: string | null;
  /**
   * Client capabilities sent with every request (`xms_cc`): `cp1` says the app handles claims challenges
   * (CAE), so Entra may issue long-lived CAE tokens and APIs may challenge them. [] = none.
   */
  clientCapabilities: string[];
  /** Tenant GUID → display name, shown beside the GUID (the local IdP's own are added when it is used). */
  tenantNames: Record<string, string>;
}

export const DEFAULT_CONFIG: AppConfig = {
  authority: null,
  localTenant: 'contoso',
  clientId: 'desktop-sample',
  protocolMode: 'entra',
  signInScopes: ['User.Read'],
  apis: [
    { id: 'graph', label: 'Graph-like API', scopes: ['User.Read'] },
    { id: 'sample-api', label: 'Sample API', scopes: ['api://sample-api/access_as_user'] },
  ],
  iwa: { enabled: false },
  deviceCode: { enabled: true },
  allowUsernamePassword: false,
  loopbackPort: null,
  loopbackPortStrict: false,
  sampleApiUrl: null,
  extraCaFile: null,
  // The app answers claims challenges (controller.ts callSampleApi), so it says so, as a CAE-capable app does.
  clientCapabilities: ['cp1'],
  tenantNames: {},
};

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`Configuration field "${field}": ${message}`);
    this.name = 'ConfigError';
  }
}

/** The configuration file exists but is not JSON; `cause` is the parser's error. */
export class ConfigFileError extends Error {
  readonly code = 'invalid_config_file';
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`The configuration file ${path} is not valid JSON`, options);
    this.name = 'ConfigFileError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * The certificates of `extraCaFile`, read at start: a missing, unreadable or certificate-less file is a
 * ConfigError naming the field, not a TLS failure at the first sign-in. Returns the PEM text.
 */
export async function loadExtraCa(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError('extraCaFile', `${path} cannot be read (${code})`);
  }
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new ConfigError('extraCaFile', `${path} holds no PEM certificate`);
  blocks.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch {
      throw new ConfigError('extraCaFile', `certificate ${i + 1} in ${path} is not a valid X.509 certificate`);
    }
  });
  return blocks.join('\n');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function expect<T>(ok: boolean, field: string, message: string, value: T): T {
  if (!ok) throw new ConfigError(field, message);
  return value;
}

/**
 * A URL string; https, or http on loopback when `loopbackHttp` (the bundled sample API). Trailing slashes
 * dropped, except with `exact` (an OpenID Provider's issuer, which may end in `/`: OIDC Discovery §4.3).
 */
function url(field: string, value: unknown, { loopbackHttp = false, exact = false } = {}): string {
  expect(typeof value === 'string', field, 'must be a URL string', null);
  let parsed: URL;
  try {
    parsed = new URL(value as string);
  } catch {
    throw new ConfigError(field, 'is not a valid URL');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  const ok = parsed.protocol === 'https:' || (loopbackHttp && loopback && parsed.protocol === 'http:');
  return expect(ok, field, loopbackHttp ? 'must use https (http only on loopback)' : 'must use https', exact ? (value as string) : (value as string).replace(/\/+$/, ''));
}

function stringList(field: string, value: unknown): string[] {
  const list = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
  expect(Array.isArray(list) && list.length > 0 && list.every((s) => typeof s === 'string' && s.length > 0), field, 'must be a non-empty list of scopes', null);
  return list as string[];
}

function bool(field: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new ConfigError(field, 'must be true or false');
}

function port(field: string, value: unknown): number | null {
  if (value === null || value === '' || value === undefined) return null;
  const n = Number(value);
  return expect(Number.isInteger(n) && n > 0 && n < 65536, field, 'must be a TCP port (1-65535)', n);
}

/** Merge defaults ← file ← environment, validating every field that is set. Pure. */
export function resolveConfig(file: unknown, env: Env): AppConfig {
  if (file !== undefined && !isObject(file)) throw new ConfigError('(file)', 'must be a JSON object');
  const f = (file ?? {}) as Record<string, unknown>;
  const config: AppConfig = structuredClone(DEFAULT_CONFIG);

  const mode = env.AUTH_PROTOCOL_MODE ?? f.protocolMode;
  if (mode !== undefined) config.protocolMode = expect(mode === 'entra' || mode === 'oidc', 'protocolMode', 'must be "entra" or "oidc"', mode as 'entra' | 'oidc');
  const authority = env.AUTH_AUTHORITY ?? f.authority;
  // An OpenID Provider's authority is its issuer, compared exactly: a trailing `/` is kept there.
  if (authority !== undefined && authority !== null && authority !== 'local') config.authority = url('authority', authority, { exact: config.protocolMode === 'oidc' });
  if (f.localTenant !== undefined) config.localTenant = expect(typeof f.localTenant === 'string', 'localTenant', 'must be a string', f.localTenant as string);
  const clientId = env.AUTH_CLIENT_ID ?? f.clientId;
  if (clientId !== undefined) config.clientId = expect(typeof clientId === 'string' && clientId.length > 0, 'clientId', 'must be a non-empty string', clientId as string);
  if (f.apis !== undefined) {
    expect(Array.isArray(f.apis) && f.apis.length > 0, 'apis', 'must be a non-empty list', null);
    config.apis = (f.apis as unknown[]).map((api, i) => {
      expect(isObject(api) && typeof api.id === 'string' && typeof api.label === 'string', `apis[${i}]`, 'needs "id" and "label" strings', null);
      const a = api as Record<string, unknown>;
      return { id: a.id as string, label: a.label as string, scopes: stringList(`apis[${i}].scopes`, a.scopes) };
    });
    config.signInScopes = config.apis[0]!.scopes;
  }
  const signIn = env.AUTH_SIGNIN_SCOPES ?? f.signInScopes;
  if (signIn !== undefined) config.signInScopes = stringList('signInScopes', signIn);
  const iwa = env.AUTH_IWA ?? (isObject(f.iwa) ? f.iwa.enabled : undefined);
  if (iwa !== undefined) config.iwa.enabled = bool('iwa.enabled', iwa);
  const deviceCode = env.AUTH_DEVICE_CODE ?? (isObject(f.deviceCode) ? f.deviceCode.enabled : undefined);
  if (deviceCode !== undefined) config.deviceCode.enabled = bool('deviceCode.enabled', deviceCode);
  const ropc = env.AUTH_ALLOW_USERNAME_PASSWORD ?? f.allowUsernamePassword;
  if (ropc !== undefined) config.allowUsernamePassword = bool('allowUsernamePassword', ropc);
  const loopback = env.AUTH_LOOPBACK_PORT ?? f.loopbackPort;
  if (loopback !== undefined) config.loopbackPort = port('loopbackPort', loopback);
  const strict = env.AUTH_LOOPBACK_PORT_STRICT ?? f.loopbackPortStrict;
  if (strict !== undefined) config.loopbackPortStrict = bool('loopbackPortStrict', strict);
  if (config.loopbackPortStrict && config.loopbackPort === null) throw new ConfigError('loopbackPortStrict', 'needs a loopbackPort');
  const sampleApi = env.SAMPLE_API_URL ?? f.sampleApiUrl;
  if (sampleApi !== undefined && sampleApi !== null) config.sampleApiUrl = url('sampleApiUrl', sampleApi, { loopbackHttp: true });
  const extraCa = env.AUTH_EXTRA_CA_FILE || f.extraCaFile;
  if (extraCa !== undefined && extraCa !== null && extraCa !== '') {
    config.extraCaFile = expect(typeof extraCa === 'string' && isAbsolute(extraCa), 'extraCaFile', 'must be an absolute path to a PEM file', extraCa as string);
  }
  const capabilities = env.AUTH_CLIENT_CAPABILITIES ?? f.clientCapabilities;
  if (capabilities !== undefined) {
    const list = typeof capabilities === 'string' ? capabilities.split(/[\s,]+/).filter(Boolean) : capabilities;
    const ok = Array.isArray(list) && list.length <= 16 && list.every((c) => typeof c === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(c));
    expect(ok, 'clientCapabilities', 'must be a list of capability names such as ["cp1"] (or [] for none)', null);
    config.clientCapabilities = [...(list as string[])];
  }
  if (f.tenantNames !== undefined) {
    const names = f.tenantNames;
    const ok = isObject(names) && Object.entries(names).every(([k, v]) => k.length > 0 && typeof v === 'string' && v.length > 0 && v.length <= 256);
    config.tenantNames = expect(ok, 'tenantNames', 'must map tenant IDs to names', { ...(names as Record<string, string>) });
  }
  return config;
}
