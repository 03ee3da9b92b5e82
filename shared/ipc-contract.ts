// THE IPC contract: every method the renderer may call and every event it may receive, in one place.
// Main (electron/main/ipc-router.ts) validates requests and responses with it, the preload iterates it to
// expose exactly these names, and the renderer's `window.authApp` type is derived from it.
// Adding a method = one entry here + one handler in the app controller. Nothing else.
import * as z from 'zod';
import { request } from './validation.js';
import {
  activityEntrySchema,
  appStateSchema,
  deviceCodeViewSchema,
  flowIdSchema,
  sampleApiResultSchema,
  scopesSchema,
  signInProgressSchema,
  signInResultSchema,
  tokenTableViewSchema,
  tokenViewSchema,
  type ErrorView,
} from './views.js';

const homeAccountId = z.string().min(1).max(512);

/** The request of a method that takes no argument: `undefined` only (null too is refused). */
const none = z.void();

// Requests are strict (`request()`: a field the contract does not name is an error, not silently
// ignored); responses and event payloads are views, whose unknown fields are stripped.
interface MethodSpec<Req extends z.ZodType, Res extends z.ZodType> {
  readonly request: Req;
  readonly response: Res;
  readonly summary: string;
}
const method = <Req extends z.ZodType, Res extends z.ZodType>(spec: MethodSpec<Req, Res>): MethodSpec<Req, Res> => spec;

interface EventSpec<P extends z.ZodType> {
  readonly payload: P;
  readonly summary: string;
}
const event = <P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> => spec;

export const methods = {
  getState: method({
    summary: 'Snapshot: accounts, active account, persistence state and warnings, configuration summary.',
    request: none,
    response: appStateSchema,
  }),
  signIn: method({
    summary: "Add an account. 'auto' walks the configured fallback chain; other values force one flow.",
    request: request({ flow: z.enum(['auto', ...flowIdSchema.options]).optional(), scopes: scopesSchema.optional() }).optional(),
    response: signInResultSchema,
  }),
  cancelSignIn: method({
    summary: 'Cancel the sign-in in progress (closes the login window, stops device-code polling).',
    request: none,
    response: z.object({ cancelled: z.boolean() }),
  }),
  openVerificationUri: method({
    summary: "Open the current device code's verification page (the IdP's verification_uri, https only) in the system browser.",
    request: none,
    response: z.object({ opened: z.boolean() }),
  }),
  getToken: method({
    summary: 'Silent first. allowInteraction lets the controller open the login window for consent.',
    request: request({ homeAccountId, scopes: scopesSchema, forceRefresh: z.boolean().optional(), allowInteraction: z.boolean().optional() }),
    response: tokenViewSchema,
  }),
  listTokens: method({
    summary: "The account's cached access tokens (metadata only) and its refresh token's status, never a token value.",
    request: request({ homeAccountId }),
    response: tokenTableViewSchema,
  }),
  switchAccount: method({
    summary: 'Make this account the active one (remembered across restarts).',
    request: request({ homeAccountId }),
    response: appStateSchema,
  }),
  removeAccount: method({
    summary: "Remove the account's cache entries and login-session cookies; optionally end the IdP session.",
    request: request({ homeAccountId, endIdpSession: z.boolean().optional() }),
    response: appStateSchema,
  }),
  signOutAll: method({
    summary: 'Remove every account.',
    request: none,
    response: appStateSchema,
  }),
  setIwaEnabled: method({
    summary: 'Turn Windows / Kerberos sign-in (IWA) on or off as the first step of "Sign in", for this run.',
    request: request({ enabled: z.boolean() }),
    response: appStateSchema,
  }),
  copyAccessToken: method({
    summary: 'Main puts the access token on the clipboard; the renderer never sees it.',
    request: request({ homeAccountId, scopes: scopesSchema }),
    response: z.object({ copied: z.boolean() }),
  }),
  callSampleApi: method({
    summary: 'Call the sample API with a token for the account (issue 7).',
    request: request({ homeAccountId, endpoint: z.enum(['me', 'obo']) }),
    response: sampleApiResultSchema,
  }),
} as const;

export const events = {
  stateChanged: event({ summary: 'Accounts, active account, persistence or sign-in state changed.', payload: appStateSchema }),
  deviceCode: event({ summary: 'A device code to show (null when the flow ended).', payload: deviceCodeViewSchema.nullable() }),
  activity: event({ summary: 'One auth log entry.', payload: activityEntrySchema }),
  tokensChanged: event({ summary: "An account's token table after a token was acquired, refreshed or removed.", payload: tokenTableViewSchema }),
  signInProgress: event({ summary: 'Sign-in started, moved to another flow, or ended.', payload: signInProgressSchema }),
} as const;


export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;
/** What a handler receives (requests have no transforms: the renderer sends the same type). */
export type RequestOf<M extends MethodName> = z.output<Methods[M]['request']>;
/** What the renderer may pass: `z.input`, so an optional request stays optional. */
export type RequestInputOf<M extends MethodName> = z.input<Methods[M]['request']>;
/** What crosses IPC after the contract's check (claims and API bodies are JSON copies). */
export type ResponseOf<M extends MethodName> = z.output<Methods[M]['response']>;
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export const methodNames = Object.keys(methods) as MethodName[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** IPC channel names: prefixed so they cannot collide with Electron's or a library's own channels. */
export const methodChannel = (name: MethodName): string => `authApp:invoke:${name}`;
export const eventChannel = (name: EventName): string => `authApp:event:${name}`;

/**
 * What every method resolves to across IPC. Errors travel as data because Electron reduces a rejected
 * `invoke` to a message string, and contextBridge strips Error subclasses: an ErrorView survives both.
 */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ErrorView };

/** The handlers behind the contract, as the main process (app controller) implements them. */
export type Handlers = {
  [M in MethodName]: (request: RequestOf<M>) => Promise<ResponseOf<M>>;
};

type MethodCall<M extends MethodName> = undefined extends RequestInputOf<M>
  ? (request?: RequestInputOf<M>) => Promise<IpcResult<ResponseOf<M>>>
  : (request: RequestInputOf<M>) => Promise<IpcResult<ResponseOf<M>>>;

/** `window.authApp` as the renderer sees it. */
export type AuthAppApi = { readonly [M in MethodName]: MethodCall<M> } & {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
};
