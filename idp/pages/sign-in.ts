// Login and consent pages of the interactive (authorization code / device) flows.
import { errorBox, html, page } from './html.js';

export interface LoginPageInput {
  action: string;
  tenantName: string;
  clientName: string;
  loginHint?: string;
  error?: string;
}

/**
 * The password is not `required`: a user of a federated domain submits the username alone and is sent
 * to their federation service (home realm discovery); others without one are told to enter it.
 */
export function loginPage({ action, tenantName, clientName, loginHint, error }: LoginPageInput): string {
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
<p class="tenant">to ${clientName} with your ${tenantName} account</p>
${errorBox(error)}
<form method="post" action="${action}">
<label for="username">Username or email</label>
<input type="text" id="username" name="username" value="${loginHint ?? ''}" required autofocus
  autocomplete="username" autocapitalize="none" spellcheck="false" ${error ? html`aria-describedby="error"` : ''}>
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div class="actions"><button type="submit" class="primary">Sign in</button></div>
</form>`,
  );
}

export interface ConsentPageInput {
  action: string;
  abortAction: string;
  tenantName: string;
  clientName: string;
  userName: string;
  /** Human descriptions of what is newly asked for. */
  permissions: readonly string[];
}

export function consentPage(input: ConsentPageInput): string {
  return page(
    'Permissions requested',
    html`<h1>Permissions requested</h1>
<p class="tenant">${input.clientName} · ${input.userName} (${input.tenantName})</p>
<p id="perm-intro">This app would like to:</p>
<ul aria-labelledby="perm-intro">${input.permissions.map((p) => html`<li>${p}</li>`)}</ul>
<div class="actions">
<form method="post" action="${input.abortAction}"><button type="submit">Cancel</button></form>
<form method="post" action="${input.action}"><button type="submit" class="primary" autofocus>Accept</button></form>
</div>`,
  );
}
