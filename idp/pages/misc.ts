// Sign-out and error pages.
import { errorBox, html, page, trusted } from './html.js';

/** `form` is oidc-provider's own hidden-field logout form (id `op.logoutForm`); the buttons submit it. */
export function logoutPage(form: string, clientName: string | undefined): string {
  return page(
    'Sign out',
    html`<h1>Sign out</h1>
<p>Do you want to sign out${clientName ? html` of ${clientName}` : ''}?</p>
${trusted(form)}
<div class="actions">
<button type="submit" form="op.logoutForm">Stay signed in</button>
<button type="submit" form="op.logoutForm" name="logout" value="yes" class="primary" autofocus>Sign out</button>
</div>`,
  );
}

export function signedOutPage(): string {
  return page('Signed out', html`<h1>You have signed out</h1><p role="status">You can close this window.</p>`);
}

export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Something went wrong',
    html`<h1>Something went wrong</h1>
${errorBox(description ?? error)}
<p class="hint">Error code: <code>${error}</code></p>`,
  );
}
