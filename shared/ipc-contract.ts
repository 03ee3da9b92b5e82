// THE IPC contract: every method the renderer may call and every event it may receive, in one place.
// Main (electron/main/ipc-router.ts) validates requests and responses with it, the preload iterates it to
// expose exactly these names, and the renderer's `window.authApp` type is derived from it.
// Adding a method = one entry here + one handler in the app controller. Nothing else.
import { boolean, none, nullable, object, oneOf, optional, string, type Infer, type Schema } from './schema.js';
import {
  activityEntrySchema,
  appStateSchema,
  deviceCodeViewSchema,
  sampleApiResultSchema,
  scopesSchema,
  signInProgressSchema,
  signInResultSchema,
  tokenTableViewSchema,
  tokenViewSchema,
  type ErrorView,
} from './views.js';

const homeAccountId = string({ minLength: 1, maxLength: 512 });

/** Requests are strict: a field the contract does not name is an error, not silently ignored. */
const strict = { unknownKeys: 'reject' } as const;

interface MethodSpec<Req, Res> {
  readonly request: Schema<Req>;
  readonly response: Schema<Res>;
  readonly summary: string;
}
const method = <Req, Res>(spec: MethodSpec<Req, Res>): MethodSpec<Req, Res> => spec;

interface EventSpec<P> {
  readonly payload: Schema<P>;
  readonly summary: string;
}
const event = <P>(spec: EventSpec<P>): EventSpec<P> => spec;

export const methods = {
  getState: method({
    summary: 'Snapshot: accounts, active account, persistence state and warnings, configuration summary.',
    request: none(),
    response: appStateSchema,
  }),
  signIn: method({
    summary: "Add an account. 'auto' walks the configured fallback chain; other values force one flow.",
    request: optional(
      object({ flow: optional(oneOf(['auto', 'iwa', 'window', 'device-code'] as const)), scopes: optional(scopesSchema) }, strict),
    ),
    response: signInResultSchema,
  }),
  cancelSignIn: method({
    summary: 'Cancel the sign-in in progress (closes the login window, stops device-code polling).',
    request: none(),
    response: object({ cancelled: boolean() }),
  }),
  getToken: method({
    summary: 'Silent first. allowInteraction lets the controller open the login window for consent.',
    request: object(
      { homeAccountId, scopes: scopesSchema, forceRefresh: optional(boolean()), allowInteraction: optional(boolean()) },
      strict,
    ),
    response: tokenViewSchema,
  }),
  listTokens: method({
    summary: "The account's cached access tokens (metadata only) and its refresh token's status, never a token value.",
    request: object({ homeAccountId }, strict),
    response: tokenTableViewSchema,
  }),
  switchAccount: method({
    summary: 'Make this account the active one (remembered across restarts).',
    request: object({ homeAccountId }, strict),
    response: appStateSchema,
  }),
  removeAccount: method({
    summary: "Remove the account's cache entries and login-session cookies; optionally end the IdP session.",
    request: object({ homeAccountId, endIdpSession: optional(boolean()) }, strict),
    response: appStateSchema,
  }),
  signOutAll: method({
    summary: 'Remove every account.',
    request: none(),
    response: appStateSchema,
  }),
  setIwaEnabled: method({
    summary: 'Turn Windows / Kerberos sign-in (IWA) on or off as the first step of "Sign in", for this run.',
    request: object({ enabled: boolean() }, strict),
    response: appStateSchema,
  }),
  copyAccessToken: method({
    summary: 'Main puts the access token on the clipboard; the renderer never sees it.',
    request: object({ homeAccountId, scopes: scopesSchema }, strict),
    response: object({ copied: boolean() }),
  }),
  callSampleApi: method({
    summary: 'Call the sample API with a token for the account (issue 7).',
    request: object({ homeAccountId, endpoint: oneOf(['me', 'obo'] as const) }, strict),
    response: sampleApiResultSchema,
  }),
} as const;

export const events = {
  stateChanged: event({ summary: 'Accounts, active account, persistence or sign-in state changed.', payload: appStateSchema }),
  deviceCode: event({ summary: 'A device code to show (null when the flow ended).', payload: nullable(deviceCodeViewSchema) }),
  activity: event({ summary: 'One auth log entry.', payload: activityEntrySchema }),
  tokensChanged: event({ summary: "An account's token table after a token was acquired, refreshed or removed.", payload: tokenTableViewSchema }),
  signInProgress: event({ summary: 'Sign-in started, moved to another flow, or ended.', payload: signInProgressSchema }),
} as const;


export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods;
export type EventName = keyof Events;
export type RequestOf<M extends MethodName> = Infer<Methods[M]['request']>;
export type ResponseOf<M extends MethodName> = Infer<Methods[M]['response']>;
export type PayloadOf<E extends EventName> = Infer<Events[E]['payload']>;

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

type MethodCall<M extends MethodName> = undefined extends RequestOf<M>
  ? (request?: RequestOf<M>) => Promise<IpcResult<ResponseOf<M>>>
  : (request: RequestOf<M>) => Promise<IpcResult<ResponseOf<M>>>;

/** `window.authApp` as the renderer sees it. */
export type AuthAppApi = { readonly [M in MethodName]: MethodCall<M> } & {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
};
