// What the renderer is allowed to know. Each view is a schema (checked at runtime when it crosses IPC,
// with unknown fields stripped) and the TypeScript type inferred from it, so the two cannot drift.
// By construction there is no field for a refresh token or a raw access token: even if a handler put
// one on a view object, `object()` would drop it before it left the main process.
import { array, boolean, jsonRecord, json, nullable, number, object, oneOf, optional, string, type Infer } from './schema.js';

/** Epoch milliseconds: numbers survive structured clone, JSON and Playwright bindings alike. */
const epochMs = number({ min: 0 });

/** RFC 6749 scope-token characters; also keeps a scope from smuggling spaces or quotes. */
export const scopeSchema = string({ minLength: 1, maxLength: 512, pattern: /^[\x21\x23-\x5B\x5D-\x7E]+$/ });
export const scopesSchema = array(scopeSchema, { maxLength: 50 });

export const flowIdSchema = oneOf(['iwa', 'window', 'device-code'] as const);
export type FlowId = Infer<typeof flowIdSchema>;

export const tokenSourceSchema = oneOf(['cache', 'refresh', 'interactive', 'device_code', 'iwa', 'password'] as const);
export type TokenSource = Infer<typeof tokenSourceSchema>;

export const accountViewSchema = object({
  homeAccountId: string({ minLength: 1, maxLength: 512 }),
  name: string(),
  username: string(),
  /** The tenant of the profile shown (a guest's is the resource tenant). */
  tenantId: string(),
  /** The tenant the identity lives in. */
  homeTenantId: string(),
  /** True when `tenantId` is not the home tenant (a B2B guest). */
  isGuest: boolean(),
  /** Up to two letters for the avatar; see shared/initials.ts. */
  initials: string({ maxLength: 4 }),
  /** Display names of `tenantId` / `homeTenantId` where the app knows them (config `tenantNames`). */
  tenantName: optional(string({ maxLength: 256 })),
  homeTenantName: optional(string({ maxLength: 256 })),
});
export type AccountView = Infer<typeof accountViewSchema>;

export const tokenViewSchema = object({
  homeAccountId: string({ maxLength: 512 }),
  requestedScopes: scopesSchema,
  /** As granted by the server, which may differ from the request. */
  grantedScopes: scopesSchema,
  expiresOn: epochMs,
  refreshOn: optional(epochMs),
  /** When the token was issued or fetched from cache, for the progress bar's full length. */
  acquiredOn: optional(epochMs),
  source: tokenSourceSchema,
  fromCache: boolean(),
  /** The ID token's validated claims (not secret: they describe the user). */
  idTokenClaims: jsonRecord(),
  /** e.g. "eyJ0…k3Qw (1234 chars)": enough to tell two tokens apart, useless as a credential. */
  accessTokenMasked: string({ maxLength: 128 }),
  tokenType: optional(string({ maxLength: 32 })),
});
export type TokenView = Infer<typeof tokenViewSchema>;

export const errorKindSchema = oneOf([
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
] as const);
export type ErrorKind = Infer<typeof errorKindSchema>;

/** An ErrorView's field lengths: the schema checks them, and the IPC router cuts views down to them. */
export const ERROR_VIEW_LIMITS = { code: 256, message: 2048, suggestedAction: 1024, serverCode: 256, correlationId: 256 } as const;

export const errorViewSchema = object({
  kind: errorKindSchema,
  /** Stable code (the engine's, or the IdP's `error`). */
  code: string({ maxLength: ERROR_VIEW_LIMITS.code }),
  /** A readable sentence; never contains a secret. */
  message: string({ maxLength: ERROR_VIEW_LIMITS.message }),
  suggestedAction: string({ maxLength: ERROR_VIEW_LIMITS.suggestedAction }),
  /** The IdP's own code (e.g. `invalid_grant`, `AADSTS50076`) when there is one. */
  serverCode: optional(string({ maxLength: ERROR_VIEW_LIMITS.serverCode })),
  correlationId: optional(string({ maxLength: ERROR_VIEW_LIMITS.correlationId })),
});
export type ErrorView = Infer<typeof errorViewSchema>;

export const deviceCodeViewSchema = object({
  userCode: string({ minLength: 1, maxLength: 64 }),
  verificationUri: string({ maxLength: 2048, pattern: /^https?:\/\// }),
  /** Only set when the IdP provides one; it embeds the code so a phone's camera can skip typing. */
  verificationUriComplete: optional(string({ maxLength: 2048, pattern: /^https?:\/\// })),
  expiresOn: epochMs,
  message: string({ maxLength: 1024 }),
  /** The code ran out before it was used: the panel stays, saying so, with "Get a new code". */
  expired: optional(boolean()),
});
export type DeviceCodeView = Infer<typeof deviceCodeViewSchema>;

export const activityEntrySchema = object({
  id: string({ maxLength: 64 }),
  at: epochMs,
  /** What happened, in a sentence ("Signed in alice@contoso.com"). */
  message: string({ maxLength: 1024 }),
  outcome: oneOf(['success', 'failure', 'cancelled', 'info'] as const),
  flow: optional(oneOf(['silent', 'iwa', 'window', 'device-code', 'refresh'] as const)),
  durationMs: optional(number({ min: 0 })),
  errorCode: optional(string({ maxLength: 256 })),
});
export type ActivityEntry = Infer<typeof activityEntrySchema>;

export const signInProgressSchema = object({
  inProgress: boolean(),
  /** The flow currently running (the chain may move on to the next one). */
  flow: optional(flowIdSchema),
  /** Short status text ("Waiting for the sign-in window…"). */
  stage: optional(string({ maxLength: 256 })),
  startedAt: optional(epochMs),
});
export type SignInProgress = Infer<typeof signInProgressSchema>;

export const persistenceViewSchema = object({
  state: oneOf(['empty', 'encrypted', 'memory-only', 'read-only', 'recovered-from-corruption', 'unsupported-format', 'plaintext-unsafe'] as const),
  warnings: array(object({ code: string({ maxLength: 128 }), message: string({ maxLength: 1024 }), at: epochMs }), { maxLength: 50 }),
});
export type PersistenceView = Infer<typeof persistenceViewSchema>;

export const apiSummarySchema = object({
  id: string({ maxLength: 64 }),
  label: string({ maxLength: 128 }),
  scopes: scopesSchema,
});
export type ApiSummary = Infer<typeof apiSummarySchema>;

export const configSummarySchema = object({
  authority: string({ maxLength: 2048 }),
  clientId: string({ maxLength: 256 }),
  protocolMode: oneOf(['entra', 'oidc'] as const),
  /** Scopes requested at sign-in. */
  signInScopes: scopesSchema,
  /** Other APIs the "Get token for…" menu offers. */
  apis: array(apiSummarySchema, { maxLength: 20 }),
  iwaEnabled: boolean(),
  deviceCodeEnabled: boolean(),
  /** True when the app started its own local IdP (development defaults). */
  usesLocalIdp: boolean(),
  /** Where "Call sample API" goes: the bundled one beside the local IdP, or the configured one; absent = no button. */
  sampleApiUrl: optional(string({ maxLength: 2048 })),
});
export type ConfigSummary = Infer<typeof configSummarySchema>;

export const appStateSchema = object({
  accounts: array(accountViewSchema, { maxLength: 100 }),
  activeAccountId: nullable(string({ maxLength: 512 })),
  persistence: persistenceViewSchema,
  config: configSummarySchema,
  signIn: signInProgressSchema,
  /** The pending device code, so a reloaded window still shows it. */
  deviceCode: nullable(deviceCodeViewSchema),
});
export type AppState = Infer<typeof appStateSchema>;

export const signInResultSchema = object({ account: accountViewSchema, token: tokenViewSchema });
export type SignInResult = Infer<typeof signInResultSchema>;

export const sampleApiResultSchema = object({
  status: number({ integer: true, min: 0, max: 999 }),
  url: string({ maxLength: 2048 }),
  body: json(),
});
export type SampleApiResult = Infer<typeof sampleApiResultSchema>;

/**
 * One row of the token table: an access token in the cache, as metadata. There is no field for the
 * token itself (nor for a refresh token): `object()` drops one even if a handler put it there.
 */
export const cachedTokenViewSchema = object({
  /** Stable per row (realm + granted scopes), for React keys and element ids. */
  id: string({ minLength: 1, maxLength: 256 }),
  /** The API the token is for: "api://sample-api", or "Microsoft Graph" for Entra's short scope names. */
  resource: string({ maxLength: 512 }),
  /** The configured API it belongs to, when one matches. */
  apiId: optional(string({ maxLength: 64 })),
  apiLabel: optional(string({ maxLength: 128 })),
  /** What the app asked for in its last acquisition of this token (this run), when known. */
  requestedScopes: optional(scopesSchema),
  grantedScopes: scopesSchema,
  /** What to ask for to refresh or copy this token. */
  requestScopes: scopesSchema,
  realm: string({ maxLength: 256 }),
  cachedAt: epochMs,
  expiresOn: epochMs,
  refreshOn: optional(epochMs),
  /** How the app last obtained it (this run); a later cache hit does not change it. */
  source: optional(tokenSourceSchema),
  /** True when "Call API" applies (the sample API is configured and this is its token). */
  callable: boolean(),
});
export type CachedTokenView = Infer<typeof cachedTokenViewSchema>;

export const refreshTokenStatusSchema = object({
  present: boolean(),
  clientId: optional(string({ maxLength: 256 })),
  /** FOCI family ("1" for Microsoft's first-party family), when the token belongs to one. */
  familyId: optional(string({ maxLength: 64 })),
  /** When the app last received one for this account (this run); absent = before this run. */
  issuedOn: optional(epochMs),
});
export type RefreshTokenStatus = Infer<typeof refreshTokenStatusSchema>;

export const tokenTableViewSchema = object({
  homeAccountId: string({ minLength: 1, maxLength: 512 }),
  tokens: array(cachedTokenViewSchema, { maxLength: 200 }),
  refreshToken: refreshTokenStatusSchema,
});
export type TokenTableView = Infer<typeof tokenTableViewSchema>;
