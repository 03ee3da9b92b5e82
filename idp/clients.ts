// Client registrations. Confidential clients (sample API, daemon) join with issue 7.
import type { ClientMetadata } from 'oidc-provider';
import { CLIENT_IDS, LOOPBACK_REDIRECT_PATHS } from './directory.js';
import { PASSWORD_GRANT } from './password-grant.js';

/**
 * Loopback redirect URIs of the desktop client: on `http://127.0.0.1` and `http://localhost`, each with
 * no path at all (msal-node's loopback listener: `http://localhost:<port>`) and with each registered
 * path. oidc-provider lets a native client's loopback redirect carry any port but compares the rest
 * exactly, so `http://localhost:5000` needs `http://localhost` registered, not `http://localhost/`.
 */
export function loopbackRedirectUris(): string[] {
  return ['', ...LOOPBACK_REDIRECT_PATHS].flatMap((p) => [`http://127.0.0.1${p}`, `http://localhost${p}`]);
}

/**
 * The desktop app: a native public client (RFC 8252). Loopback redirects on any port are allowed by
 * oidc-provider for native clients; 127.0.0.1 and localhost are registered separately because it
 * matches the host exactly. Any response mode oidc-provider has (`query`, and `form_post` as msal-node
 * asks for) is allowed.
 */
export function desktopClient(): ClientMetadata {
  return {
    client_id: CLIENT_IDS.desktop,
    client_name: 'Desktop Sample',
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', PASSWORD_GRANT],
    response_types: ['code'],
    redirect_uris: loopbackRedirectUris(),
    post_logout_redirect_uris: ['http://127.0.0.1/', 'http://localhost/'],
  };
}
