// What a hostile identity provider sends, all the way to the views the renderer gets: error codes named
// after Object.prototype members or 200 KB long, a device code whose page is `javascript:`, an ID token
// claim named `__proto__`. The real engine talks to the hostile-server fixture over TLS; the views are
// the controller's own (errorToView, toTokenView) checked against the IPC contract.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHostileOp, type HostileOp, type RawResponse } from '../../../testkit/hostile-op.js';
import { ClientAuthError, PublicClientApplication, UserCancelError, type DeviceCodeInfo } from '../../core/index.js';
import { methods } from '../../../shared/ipc-contract.js';
import { errorViewSchema, tokenViewSchema } from '../../../shared/views.js';
import { check } from '../../../shared/validation.js';
import type { AppEvent, ShellPorts } from '../ports.js';
import { DEFAULT_CONFIG } from '../config.js';
import { DesktopAppController, type Engine } from '../controller.js';
import { errorToView, toTokenView } from '../views.js';

let op: HostileOp;
let pca: PublicClientApplication;
before(async () => {
  op = await startHostileOp();
  pca = await PublicClientApplication.create({ auth: { clientId: op.clientId, authority: op.authority() }, system: { trustedCaPem: op.caCertPem } });
});
after(async () => {
  await op?.stop();
});

const jsonResponse = (body: unknown, status = 200): RawResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const deviceBody = (overrides: Record<string, unknown> = {}) =>
  jsonResponse({ device_code: 'dc-1', user_code: 'ABCD-EFGH', verification_uri: `${op.origin}/device`, expires_in: 600, interval: 1, ...overrides });

async function deviceCodeError(deviceAnswer: RawResponse): Promise<unknown> {
  op.deviceHandler = () => deviceAnswer;
  try {
    return await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => {} }).then(() => undefined, (e: unknown) => e);
  } finally {
    op.deviceHandler = undefined;
  }
}

describe('IdP error codes → error views', () => {
  for (const code of ['constructor', '__proto__', 'toString']) {
    test(`error=${code} gives the generic server explanation`, async () => {
      const view = errorToView(await deviceCodeError(jsonResponse({ error: code }, 400)));
      assert.ok(check(errorViewSchema, view).ok);
      assert.equal(view.kind, 'server');
      assert.equal(view.serverCode, code);
      assert.equal(view.message, `The identity provider returned an error. (The identity provider returned ${code})`);
      assert.doesNotMatch(`${view.message} ${view.suggestedAction}`, /undefined/);
    });
  }

  test('a 200 KB code, description and correlation id give a bounded view', async () => {
    const huge = (c: string) => c.repeat(200_000);
    const view = errorToView(await deviceCodeError(jsonResponse({ error: huge('E'), error_description: huge('D'), correlation_id: huge('C') }, 400)));
    assert.ok(check(errorViewSchema, view).ok, JSON.stringify(check(errorViewSchema, view)).slice(0, 200));
    assert.equal(view.code, 'E'.repeat(64));
    assert.equal(view.correlationId, 'C'.repeat(128));
    assert.ok(JSON.stringify(view).length < 1500, `view is ${JSON.stringify(view).length} characters`);
  });
});

function controllerWith(engine: Engine): { controller: Promise<DesktopAppController>; events: AppEvent[] } {
  const events: AppEvent[] = [];
  const ports: ShellPorts = {
    userDataDir: '/nonexistent',
    openLoginWindow: () => assert.fail('no window in these tests'),
    clearLoginSession: async () => {},
    writeClipboard: async () => {},
    openExternal: async () => {},
  };
  const controller = DesktopAppController.create({
    config: { ...DEFAULT_CONFIG, authority: op.authority(), clientId: op.clientId },
    engine,
    ports,
    activeAccount: { load: async () => null, save: async () => {} },
    authority: { url: op.authority(), origins: [op.origin], usesLocalIdp: false },
    canOpenWindow: false,
  }).then((c) => (c.subscribe((e) => events.push(e)), c));
  return { controller, events };
}

const stateIsValid = async (controller: DesktopAppController) => check(methods.getState.response, await controller.getState()).ok;

describe('a refused device code in the controller', () => {
  test('a javascript: verification page ends the sign-in with a shown error; getState keeps working', async () => {
    let polls = 0;
    op.deviceHandler = () => deviceBody({ verification_uri: 'javascript:alert(1)' });
    op.tokenHandler = async (req, o) => (polls++, jsonResponse(await o.goodTokenBody(req)));
    try {
      const { controller: created, events } = controllerWith(pca);
      const controller = await created;
      const err = await controller.signIn({ flow: 'device-code' }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ClientAuthError, `got ${String(err)}`);
      const view = controller.describeError(err);
      assert.equal(view.code, 'invalid_device_code_response');
      assert.match(view.message, /not safe to show/);
      assert.ok(check(errorViewSchema, view).ok);
      assert.ok(await stateIsValid(controller));
      assert.deepEqual(events.filter((e) => e.name === 'deviceCode' && e.payload !== null), []);
      const failed = events.find((e) => e.name === 'activity' && e.payload.outcome === 'failure');
      assert.ok(failed?.name === 'activity' && failed.payload.errorCode === 'invalid_device_code_response', 'the failure is in the activity log');
      assert.equal(polls, 0);
      await controller.dispose();
    } finally {
      op.deviceHandler = undefined;
      op.tokenHandler = undefined;
    }
  });

  test('a device code view that does not fit the contract is never kept (engine checks aside)', async () => {
    let stateDuringFlow: boolean | undefined;
    let controller!: DesktopAppController;
    const hostile: DeviceCodeInfo = { userCode: 'ABCD', verificationUri: 'javascript:alert(1)', expiresIn: 600, interval: 5, message: 'open it' };
    // The real engine, with a device-code flow that skips the engine's own URI check.
    const engine = new Proxy(pca, {
      get(target, key) {
        if (key === 'acquireTokenByDeviceCode') {
          return async (request: { deviceCodeCallback: (info: DeviceCodeInfo) => void }) => {
            request.deviceCodeCallback(hostile);
            stateDuringFlow = await stateIsValid(controller);
            throw new UserCancelError();
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const made = controllerWith(engine);
    controller = await made.controller;
    const err = await controller.signIn({ flow: 'device-code' }).then(() => undefined, (e: unknown) => e);
    assert.equal(controller.describeError(err).code, 'invalid_device_code_response');
    assert.equal(stateDuringFlow, undefined, 'the flow ended at the callback');
    assert.ok(await stateIsValid(controller));
    assert.deepEqual(made.events.filter((e) => e.name === 'deviceCode' && e.payload !== null), []);
    await controller.dispose();
  });
});

test('an ID token claim named __proto__ reaches the token view as data', async () => {
  op.deviceHandler = () => deviceBody();
  op.tokenHandler = async (req, o) => jsonResponse(await o.goodTokenBody(req, { claims: JSON.parse('{"__proto__":{"isAdmin":true},"constructor":"c"}') }));
  try {
    const result = await pca.acquireTokenByDeviceCode({ scopes: ['User.Read'], deviceCodeCallback: () => {} });
    assert.ok(Object.hasOwn(result.idTokenClaims, '__proto__'), 'the engine keeps it');
    const parsed = check(tokenViewSchema, toTokenView(result, ['User.Read'], Date.now()));
    assert.ok(parsed.ok);
    const claims = parsed.value.idTokenClaims;
    assert.deepEqual(Object.getOwnPropertyDescriptor(claims, '__proto__')?.value, { isAdmin: true });
    assert.equal(Object.getPrototypeOf(claims), Object.prototype);
    assert.equal(claims.constructor, 'c');
  } finally {
    op.deviceHandler = undefined;
    op.tokenHandler = undefined;
  }
});
