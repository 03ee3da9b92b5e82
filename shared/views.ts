// What the renderer is allowed to know. Each view is a zod schema (checked at runtime when it crosses
// IPC) and the TypeScript type inferred from it, so the two cannot drift. Views are `z.object`, which
// strips unknown keys: by construction there is no field for a refresh token or a raw access token, and
// even if a handler put one on a view object it would be dropped before it left the main process.
import * as z from 'zod';
import { ERROR_VIEW_LIMITS } from './error-view-limits.js';
import { jsonRecord, jsonValue, type CustomRule } from './validation.js';

export { ERROR_VIEW_LIMITS };

export type { JsonValue } from './validation.js';

/** Strings are bounded even where no field-specific limit applies: nothing here is longer than 8 KiB. */
const text = z.string().max(8192);

/** Epoch milliseconds: numbers survive structured clone, JSON and Playwright bindings alike. */
const epochMs = z.number().min(0);

/** RFC 6749 scope-token characters; also keeps a scope from smuggling spaces or quotes. */
export const scopeSchema = z.string().min(1).max(512).regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/);
export const scopesSchema = z.array(scopeSchema).max(50);

export const flowIdSchema = z.enum(['iwa', 'window', 'device-code']);
export type FlowId = z.infer<typeof flowIdSchema>;

export const tokenSourceSchema = z.enum(['cache', 'refresh', 'interactive', 'device_code', 'iwa', 'password']);
export type TokenSource = z.infer<typeof tokenSourceSchema>;

export const accountViewSchema = z.object({
  homeAccountId: z.string().min(1).max(512),
  name: text,
  username: text,
  /** The tenant of the profile shown (a guest's is the resource tenant). */
  tenantId: text,
  /** The tenant the identity lives in. */
  homeTenantId: text,
  /** True when `tenantId` is not the home tenant (a B2B guest). */
  isGuest: z.boolean(),
  /** Up to two letters for the avatar; see shared/initials.ts. */
  initials: z.string().max(4),
  /** Display names of `tenantId` / `homeTenantId` where the app knows them (config `tenantNames`). */
  tenantName: z.string().max(256).optional(),
  homeTenantName: z.string().max(256).optional(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

export const tokenViewSchema = z.object({
  homeAccountId: z.string().max(512),
  requestedScopes: scopesSchema,
  /** As granted by the server, which may differ from the request. */
  grantedScopes: scopesSchema,
  expiresOn: epochMs,
  refreshOn: epochMs.optional(),
  /** When the token was issued or fetched from cache, for the progress bar's full length. */
  acquiredOn: epochMs.optional(),
  source: tokenSourceSchema,
  fromCache: z.boolean(),
  /** The ID token's validated claims (not secret: they describe the user). */
  idTokenClaims: jsonRecord(),
  /** e.g. "eyJ0…k3Qw (1234 chars)": enough to tell two tokens apart, useless as a credential. */
  accessTokenMasked: z.string().max(128),
  tokenType: z.string().max(32).optional(),
});
export type TokenView = z.infer<typeof tokenViewSchema>;

export const errorKindSchema = z.enum([
  'interaction_required',
  'server',
  'client',
  'network',
  'cancelled',
  'timeout',
  'persistence',
  'invalid_request',
  'forbidden',
  'not_implemented',
  'internal',
]);
export type ErrorKind = z.infer<typeof errorKindSchema>;


export const errorViewSchema = z.object({
  kind: errorKindSchema,
  /** Stable code (the engine's, or the IdP's `error`). */
  code: z.string().max(ERROR_VIEW_LIMITS.code),
  /** A readable sentence; never contains a secret. */
  message: z.string().max(ERROR_VIEW_LIMITS.message),
  suggestedAction: z.string().max(ERROR_VIEW_LIMITS.suggestedAction),
  /** The IdP's own code (e.g. `invalid_grant`, `AADSTS50076`) when there is one. */
  serverCode: z.string().max(ERROR_VIEW_LIMITS.serverCode).optional(),
  correlationId: z.string().max(ERROR_VIEW_LIMITS.correlationId).optional(),
});
export type ErrorView = z.infer<typeof errorViewSchema>;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A page a person is sent to: https, or http on loopback (a local IdP); no credentials in it. */
export function isSafeLink(link: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname));
}

const link = z.string().max(2048).refine(isSafeLink, { params: { rule: 'unsafe_link' satisfies CustomRule } });

export const deviceCodeViewSchema = z.object({
  userCode: z.string().min(1).max(64),
  verificationUri: link,
  /** Only set when the IdP provides one; it embeds the code so a phone's camera can skip typing. */
  verificationUriComplete: link.optional(),
  expiresOn: epochMs,
  message: z.string().max(1024),
  /** The code ran out before it was used: the panel stays, saying so, with "Get a new code". */
  expired: z.boolean().optional(),
});
export type DeviceCodeView = z.infer<typeof deviceCodeViewSchema>;

export const activityEntrySchema = z.object({
  id: z.string().max(64),
  at: epochMs,
  /** What happened, in a sentence ("Signed in alice@contoso.com"). */
  message: z.string().max(1024),
  outcome: z.enum(['success', 'failure', 'cancelled', 'info']),
  flow: z.enum(['silent', 'iwa', 'window', 'device-code', 'refresh']).optional(),
  durationMs: z.number().min(0).optional(),
  errorCode: z.string().max(256).optional(),
});
export type ActivityEntry = z.infer<typeof activityEntrySchema>;

export const signInProgressSchema = z.object({
  inProgress: z.boolean(),
  /** The flow currently running (the chain may move on to the next one). */
  flow: flowIdSchema.optional(),
  /** Short status text ("Waiting for the sign-in window…"). */
  stage: z.string().max(256).optional(),
  startedAt: epochMs.optional(),
});
export type SignInProgress = z.infer<typeof signInProgressSchema>;

export const persistenceViewSchema = z.object({
  state: z.enum(['empty', 'encrypted', 'memory-only', 'read-only', 'recovered-from-corruption', 'unsupported-format', 'plaintext-unsafe']),
  warnings: z.array(z.object({ code: z.string().max(128), message: z.string().max(1024), at: epochMs })).max(50),
});
export type PersistenceView = z.infer<typeof persistenceViewSchema>;

export const apiSummarySchema = z.object({
  id: z.string().max(64),
  label: z.string().max(128),
  scopes: scopesSchema,
});
export type ApiSummary = z.infer<typeof apiSummarySchema>;

export const configSummarySchema = z.object({
  authority: z.string().max(2048),
  clientId: z.string().max(256),
  protocolMode: z.enum(['entra', 'oidc']),
  /** Scopes requested at sign-in. */
  signInScopes: scopesSchema,
  /** Other APIs the "Get token for…" menu offers. */
  apis: z.array(apiSummarySchema).max(20),
  iwaEnabled: z.boolean(),
  deviceCodeEnabled: z.boolean(),
  /** True when the app started its own local IdP (development defaults). */
  usesLocalIdp: z.boolean(),
  /** Where "Call sample API" goes: the bundled one beside the local IdP, or the configured one; absent = no button. */
  sampleApiUrl: z.string().max(2048).optional(),
});
export type ConfigSummary = z.infer<typeof configSummarySchema>;

export const appStateSchema = z.object({
  accounts: z.array(accountViewSchema).max(100),
  activeAccountId: z.string().max(512).nullable(),
  persistence: persistenceViewSchema,
  config: configSummarySchema,
  signIn: signInProgressSchema,
  /** The pending device code, so a reloaded window still shows it. */
  deviceCode: deviceCodeViewSchema.nullable(),
});
export type AppState = z.infer<typeof appStateSchema>;

export const signInResultSchema = z.object({ account: accountViewSchema, token: tokenViewSchema });
export type SignInResult = z.infer<typeof signInResultSchema>;

export const sampleApiResultSchema = z.object({
  status: z.number().int().min(0).max(999),
  url: z.string().max(2048),
  body: jsonValue(),
});
export type SampleApiResult = z.infer<typeof sampleApiResultSchema>;

/**
 * One row of the token table: an access token in the cache, as metadata. There is no field for the
 * token itself (nor for a refresh token): `z.object` drops one even if a handler put it there.
 */
export const cachedTokenViewSchema = z.object({
  /** Stable per row (realm + granted scopes), for React keys and element ids. */
  id: z.string().min(1).max(256),
  /** The API the token is for: "api://sample-api", or "Microsoft Graph" for Entra's short scope names. */
  resource: z.string().max(512),
  /** The configured API it belongs to, when one matches. */
  apiId: z.string().max(64).optional(),
  apiLabel: z.string().max(128).optional(),
  /** What the app asked for in its last acquisition of this token (this run), when known. */
  requestedScopes: scopesSchema.optional(),
  grantedScopes: scopesSchema,
  /** What to ask for to refresh or copy this token. */
  requestScopes: scopesSchema,
  realm: z.string().max(256),
  cachedAt: epochMs,
  expiresOn: epochMs,
  refreshOn: epochMs.optional(),
  /** How the app last obtained it (this run); a later cache hit does not change it. */
  source: tokenSourceSchema.optional(),
  /** True when "Call API" applies (the sample API is configured and this is its token). */
  callable: z.boolean(),
});
export type CachedTokenView = z.infer<typeof cachedTokenViewSchema>;

export const refreshTokenStatusSchema = z.object({
  present: z.boolean(),
  clientId: z.string().max(256).optional(),
  /** FOCI family ("1" for Microsoft's first-party family), when the token belongs to one. */
  familyId: z.string().max(64).optional(),
  /** When the app last received one for this account (this run); absent = before this run. */
  issuedOn: epochMs.optional(),
});
export type RefreshTokenStatus = z.infer<typeof refreshTokenStatusSchema>;

export const tokenTableViewSchema = z.object({
  homeAccountId: z.string().min(1).max(512),
  tokens: z.array(cachedTokenViewSchema).max(200),
  refreshToken: refreshTokenStatusSchema,
});
export type TokenTableView = z.infer<typeof tokenTableViewSchema>;
