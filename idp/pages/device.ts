// Device code (RFC 8628) pages: enter the code, confirm it, success. They replace oidc-provider's
// defaults, which @import Google Fonts and have unlabelled inputs.
import { errorBox, html, page } from './html.js';

export interface CodeEntryInput {
  action: string;
  xsrf: string;
  code?: string;
  error?: string;
}

export function codeEntryPage({ action, xsrf, code, error }: CodeEntryInput): string {
  return page(
    'Enter code',
    html`<h1>Enter code</h1>
<p class="hint">Enter the code shown by the app on your other device to allow it to sign in.</p>
${errorBox(error)}
<form method="post" action="${action}" autocomplete="off">
<input type="hidden" name="xsrf" value="${xsrf}">
<label for="user_code">Code</label>
<input type="text" id="user_code" name="user_code" value="${code ?? ''}" required autofocus
  autocapitalize="characters" spellcheck="false" ${error ? html`aria-describedby="error"` : ''}>
<div class="actions"><button type="submit" class="primary">Next</button></div>
</form>`,
  );
}

export interface ConfirmCodeInput {
  action: string;
  xsrf: string;
  userCode: string;
  clientName: string;
}

export function confirmCodePage({ action, xsrf, userCode, clientName }: ConfirmCodeInput): string {
  return page(
    'Confirm sign-in',
    html`<h1>Are you trying to sign in to ${clientName}?</h1>
<p>Continue only if the app shows this code:</p>
<p><code class="user-code">${userCode}</code></p>
<form method="post" action="${action}">
<input type="hidden" name="xsrf" value="${xsrf}">
<input type="hidden" name="user_code" value="${userCode}">
<div class="actions">
<button type="submit" name="abort" value="yes">Cancel</button>
<button type="submit" name="confirm" value="yes" class="primary" autofocus>Continue</button>
</div>
</form>`,
  );
}

export function deviceSuccessPage(clientName: string): string {
  return page(
    'Signed in',
    html`<h1>You have signed in</h1>
<p role="status">You have signed in to ${clientName} on your other device. You can close this window.</p>`,
  );
}
