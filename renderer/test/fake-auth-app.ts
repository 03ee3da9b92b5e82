// A fake `window.authApp` built from the IPC contract — the renderer's only dependency. It behaves like
// the real bridge where it matters to the UI: every request is validated against the contract (an
// invalid one is recorded in `violations` and answered with invalid_request, as main would), every
// response and event payload must be contract-valid too, and errors come back as ErrorViews.
import { act } from '@testing-library/react';
import { buildAuthApp } from '../../shared/auth-app-client.js';
import { events, methods, type AuthAppApi, type EventName, type IpcResult, type MethodName, type PayloadOf, type RequestOf, type ResponseOf } from '../../shared/ipc-contract.js';
import { check } from '../../shared/validation.js';
import type { ErrorView } from '../../shared/views.js';

type Impl<M extends MethodName> = (request: RequestOf<M>) => ResponseOf<M> | Promise<ResponseOf<M>>;

/** Thrown by a fake handler to answer with this ErrorView. */
export class FakeFailure extends Error {
  constructor(readonly view: ErrorView) {
    super(view.message);
  }
}

export interface FakeAuthApp {
  readonly api: AuthAppApi;
  readonly calls: { method: MethodName; request: unknown }[];
  readonly violations: string[];
  callsTo<M extends MethodName>(method: M): RequestOf<M>[];
  respond<M extends MethodName>(method: M, impl: Impl<M>): void;
  fail(method: MethodName, error: ErrorView): void;
  /** Deliver an event as main would, inside act(). */
  emit<E extends EventName>(event: E, payload: PayloadOf<E>): Promise<void>;
  listenerCount(event: EventName): number;
}

export function createFakeAuthApp(): FakeAuthApp {
  const impls = new Map<MethodName, (request: unknown) => unknown>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const calls: { method: MethodName; request: unknown }[] = [];
  const violations: string[] = [];

  async function invoke(method: MethodName, request: unknown): Promise<IpcResult<unknown>> {
    calls.push({ method, request });
    const parsed = check(methods[method].request, request);
    if (!parsed.ok) {
      violations.push(`${method}: ${parsed.issues.join('; ')}`);
      return { ok: false, error: { kind: 'invalid_request', code: 'invalid_request', message: 'bad request', suggestedAction: '' } };
    }
    const impl = impls.get(method);
    if (!impl) return { ok: false, error: { kind: 'not_implemented', code: 'not_implemented', message: `${method} not faked`, suggestedAction: '' } };
    try {
      const value = await impl(parsed.value);
      const checked = check(methods[method].response, value);
      if (!checked.ok) throw new Error(`fake ${method} returned a value the contract refuses: ${checked.issues.join('; ')}`);
      return { ok: true, value: checked.value };
    } catch (error) {
      if (error instanceof FakeFailure) return { ok: false, error: error.view };
      throw error;
    }
  }

  const api = buildAuthApp({
    invoke,
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });

  return {
    api,
    calls,
    violations,
    callsTo: <M extends MethodName>(method: M) => calls.filter((c) => c.method === method).map((c) => c.request as RequestOf<M>),
    respond: (method, impl) => impls.set(method, impl as (request: unknown) => unknown),
    fail: (method, error) =>
      impls.set(method, () => {
        throw new FakeFailure(error);
      }),
    async emit(event, payload) {
      const parsed = check(events[event].payload, payload);
      if (!parsed.ok) throw new Error(`test emitted an invalid ${event}: ${parsed.issues.join('; ')}`);
      await act(async () => {
        for (const l of listeners.get(event) ?? []) l(parsed.value);
      });
    },
    listenerCount: (event) => listeners.get(event)?.size ?? 0,
  };
}
