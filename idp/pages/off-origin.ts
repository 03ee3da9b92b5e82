// Pages of the services on other origins: the federation service's sign-in and post-back, the
// "More information required" interstitial, and the device login page.
import { createHash } from 'node:crypto';
import { errorBox, html, page, trusted } from './html.js';

export interface FederationSignInInput {
  action: string;
  serviceName: string;
  realm: string;
  context: string;
  username?: string;
  error?: string;
}

/** ADFS-style: the service's own name, "organizational account", its own error sentence. */
export function federationSignInPage(input: FederationSignInInput): string {
  return page(
    `Sign in — ${input.serviceName}`,
    html`<h1>${input.serviceName}</h1>
<p class="tenant">Sign in with your organizational account</p>
${errorBox(input.error)}
<form method="post" action="${input.action}">
<input type="hidden" name="wa" value="wsignin1.0">
<input type="hidden" name="wtrealm" value="${input.realm}">
<input type="hidden" name="wctx" value="${input.context}">
<label for="fed-username">User account</label>
<input type="text" id="fed-username" name="username" value="${input.username ?? ''}" required
  autocomplete="username" autocapitalize="none" spellcheck="false" ${input.username ? '' : html`autofocus`}
  ${input.error ? html`aria-describedby="error"` : ''}>
<label for="fed-password">Password</label>
<input type="password" id="fed-password" name="password" required autocomplete="current-password" ${input.username ? html`autofocus` : ''}>
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
  );
}

/** Submits the page's only form as soon as it loads (the hash goes into the page's CSP). */
export const AUTO_SUBMIT_SCRIPT = "document.addEventListener('DOMContentLoaded',function(){document.forms[0].submit()});";
export const AUTO_SUBMIT_SCRIPT_HASH = `'sha256-${createHash('sha256').update(AUTO_SUBMIT_SCRIPT).digest('base64')}'`;

/** The federation service hands the assertion to the authority by a form POST, as WS-Fed and SAML do. */
export function postBackPage(action: string, fields: Record<string, string>): string {
  return page(
    'Signing in…',
    html`<h1>Signing in…</h1>
<form method="post" action="${action}">
${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<noscript><p>Script is off in this browser: continue by hand.</p><div class="actions"><button type="submit" class="primary">Continue</button></div></noscript>
</form>
<script>${trusted(AUTO_SUBMIT_SCRIPT)}</script>`,
  );
}

export interface InterstitialInput {
  action: string;
  userName: string;
  fields: Record<string, string>;
}

export function interstitialPage(input: InterstitialInput): string {
  return page(
    'More information required',
    html`<h1>More information required</h1>
<p class="tenant">${input.userName}</p>
<p>Your organization needs more information to keep your account secure.</p>
<p class="hint">This demo registers a second sign-in method for you when you continue.</p>
<form method="post" action="${input.action}">
${Object.entries(input.fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="actions"><button type="submit" class="primary" autofocus>Continue</button></div>
</form>`,
  );
}

export interface DeviceLoginInput {
  action: string;
  code?: string;
  error?: string;
}

/** As microsoft.com/devicelogin: one field, then the authority takes over. A GET form, like the `?user_code=` link. */
export function deviceLoginPage({ action, code, error }: DeviceLoginInput): string {
  return page(
    'Enter code',
    html`<h1>Enter code</h1>
<p class="hint">Enter the code displayed on your app or device.</p>
${errorBox(error)}
<form method="get" action="${action}" autocomplete="off">
<label for="user_code">Code</label>
<input type="text" id="user_code" name="user_code" value="${code ?? ''}" required autofocus
  autocapitalize="characters" spellcheck="false" ${error ? html`aria-describedby="error"` : ''}>
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>`,
  );
}
