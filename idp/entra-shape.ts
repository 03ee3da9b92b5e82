// Koa middleware on each tenant's provider that reshapes oidc-provider's standard answers into Entra's:
// extra token-response fields, the device authorization `interval`/`message`, and discovery extras.
import { setTimeout as delay } from 'node:timers/promises';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { clientInfo } from './claims.js';
import { findUserByOid, type Tenant } from './directory.js';
import type { DeviceCodePacer } from './device-pacing.js';
import type { IdpSettings } from './settings.js';
import { entraResponseExtras } from './token-response.js';
import { verificationUriComplete } from './off-origin/device-login.js';

type Body = Record<string, unknown>;

/** Where `rememberErrorDetail` leaves oidc-provider's internal reason for a failed token request. */
const DETAIL = 'idpErrorDetail';

/**
 * oidc-provider answers every invalid_grant with "grant request is invalid" and keeps the reason
 * ("refresh token already used", "refresh token is expired"…) in `error_detail`, which it only logs.
 * Clients and people need the reason, and it never contains a token, so it becomes the description.
 */
export function rememberErrorDetail(ctx: KoaContextWithOIDC, err: { error_detail?: unknown }) {
  if (typeof err.error_detail === 'string') ctx.state[DETAIL] = err.error_detail;
}

function explainTokenError(ctx: KoaContextWithOIDC, body: Body) {
  const detail = ctx.state[DETAIL];
  if (typeof detail === 'string') body.error_description = detail;
}

export function entraShape(tenant: Tenant, settings: IdpSettings, pacer: DeviceCodePacer, deviceLoginUrl?: string) {
  return async function entraShapeMiddleware(ctx: KoaContextWithOIDC, next: () => Promise<unknown>) {
    await next();
    const route = ctx.oidc?.route;
    if (route === 'token' && settings.tokenResponseDelayMs > 0) await delay(settings.tokenResponseDelayMs);
    const body = ctx.body as Body | undefined;
    if (!body || typeof body !== 'object') return;
    if (route === 'token' && ctx.status === 400) return explainTokenError(ctx, body);
    if (ctx.status !== 200) return;

    if (route === 'token' && typeof body.access_token === 'string') {
      const accountId = ctx.oidc.entities.Account?.accountId;
      const tu = accountId ? findUserByOid(tenant.id, accountId) : undefined;
      Object.assign(body, entraResponseExtras(body.expires_in, tu && clientInfo(tu)));
    } else if (route === 'device_authorization' && typeof body.device_code === 'string') {
      const interval = settings.deviceFlow.interval;
      pacer.register(body.device_code, interval);
      body.interval = interval;
      // As Entra's microsoft.com/devicelogin: the page to open is on its own origin, not the authority's.
      if (deviceLoginUrl && typeof body.user_code === 'string') {
        body.verification_uri = deviceLoginUrl;
        body.verification_uri_complete = verificationUriComplete(deviceLoginUrl, body.user_code);
      }
      body.message = `To sign in, use a web browser to open the page ${String(body.verification_uri)} and enter the code ${String(body.user_code)} to authenticate.`;
    } else if (route === 'discovery') {
      Object.assign(body, { tenant_region_scope: 'NA', cloud_instance_name: 'localhost', cloud_graph_host_name: 'graph.localhost' });
    }
  };
}
