// Every IPC call goes through here before it reaches a handler, and every event before it reaches the
// renderer. No electron import: app.ts feeds it ipcMain's calls, the browser bridge feeds it
// Playwright's, and the tests feed it plain values. Checks, in order: a known method, a trusted
// sender (our renderer, top frame), a request that matches the contract. The handler's answer is
// checked too, and unknown fields are stripped, so nothing the contract does not name can leave.
// Error views are answers as well: each is cut to the contract's limits and checked, and one that
// still does not fit becomes the generic internal error, so describing an error never fails a call.
import { events, isEventName, isMethodName, methods, type EventName, type Handlers, type IpcResult, type PayloadOf } from '../../shared/ipc-contract.js';
import { toErrorView, truncateErrorView } from '../../shared/error-messages.js';
import { check, type Checked } from '../../shared/validation.js';
import { errorViewSchema, type ErrorView } from '../../shared/views.js';
import type { SenderInfo } from './sender-policy.js';

export interface RouterOptions {
  handlers: Handlers;
  isTrustedSender(sender: SenderInfo): boolean;
  /** Map a thrown error to the view the renderer shows (the controller knows the engine's errors). */
  describeError(error: unknown): ErrorView;
  /** Told about refused calls and contract violations, for the log. Never given argument values. */
  onRejected?(report: { method: string; reason: ErrorView['code']; issues?: string[] }): void;
}

export interface IpcRouter {
  handle(method: string, sender: SenderInfo, request: unknown): Promise<IpcResult<unknown>>;
}

const internalError = (): ErrorView => toErrorView({ kind: 'internal', code: 'internal_error' });

export function createIpcRouter(options: RouterOptions): IpcRouter {
  const { handlers, isTrustedSender, describeError, onRejected } = options;

  function safeDescribe(error: unknown): unknown {
    try {
      return describeError(error);
    } catch {
      return internalError();
    }
  }

  /** Every error view leaves through here: cut to the contract's limits, then checked against it. */
  function failure(method: string, view: unknown): IpcResult<never> {
    let parsed: Checked<ErrorView>;
    try {
      parsed = check(errorViewSchema, truncateErrorView(view));
    } catch {
      // truncateErrorView reads the view too (a hostile getter); check() itself never throws.
      parsed = { ok: false, issues: ['(root): could not be read'] };
    }
    if (parsed.ok) return { ok: false, error: parsed.value };
    onRejected?.({ method, reason: 'invalid_error_view', issues: parsed.issues });
    return { ok: false, error: internalError() };
  }

  return {
    async handle(method, sender, request) {
      if (!isMethodName(method)) {
        const name = String(method).slice(0, 64);
        onRejected?.({ method: name, reason: 'unknown_method' });
        return failure(name, toErrorView({ kind: 'invalid_request', code: 'unknown_method' }));
      }
      if (!isTrustedSender(sender)) {
        onRejected?.({ method, reason: 'untrusted_sender' });
        return failure(method, toErrorView({ kind: 'forbidden', code: 'untrusted_sender' }));
      }
      const spec = methods[method];
      const parsedRequest = check(spec.request, request);
      if (!parsedRequest.ok) {
        onRejected?.({ method, reason: 'invalid_request', issues: parsedRequest.issues });
        // The issues name paths and rules, never values, so they are safe to show.
        return failure(method, toErrorView({ kind: 'invalid_request', code: 'invalid_request', detail: parsedRequest.issues.join('; ') }));
      }
      let response: unknown;
      try {
        const handler = handlers[method] as (req: unknown) => Promise<unknown>;
        response = await handler.call(handlers, parsedRequest.value);
      } catch (error) {
        return failure(method, safeDescribe(error));
      }
      const parsedResponse = check(spec.response, response);
      if (!parsedResponse.ok) {
        onRejected?.({ method, reason: 'invalid_response', issues: parsedResponse.issues });
        return failure(method, toErrorView({ kind: 'internal', code: 'invalid_response' }));
      }
      return { ok: true, value: parsedResponse.value };
    },
  };
}

/**
 * Validates an event payload against the contract (stripping unknown fields) before `send` delivers
 * it. An invalid payload is dropped and reported rather than sent half-checked.
 */
export function createEventPublisher(
  send: (event: EventName, payload: unknown) => void,
  onInvalid?: (report: { event: string; issues: string[] }) => void,
): <E extends EventName>(event: E, payload: PayloadOf<E>) => void {
  return (event, payload) => {
    if (!isEventName(event)) return;
    const parsed = check(events[event].payload, payload);
    if (!parsed.ok) {
      onInvalid?.({ event, issues: parsed.issues });
      return;
    }
    send(event, parsed.value);
  };
}
