// oidc-provider's page hooks (device flow, logout, errors) rendered with our own templates.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { codeEntryPage, confirmCodePage, deviceSuccessPage } from './pages/device.js';
import { errorPage, logoutPage, signedOutPage } from './pages/misc.js';

/** oidc-provider hands us a ready form; we only need its xsrf value to render our own labelled one. */
export function xsrfFrom(form: string): string {
  return /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '';
}

/** The error classes oidc-provider raises on the code-entry page, mapped to a sentence for people. */
export function codeEntryError(err: unknown): string | undefined {
  if (!err) return undefined;
  const name = (err as { name?: string }).name;
  switch (name) {
    case 'NoCodeError':
      return 'Enter the code shown by the app.';
    case 'NotFoundError':
      return 'That code is not valid. Check the code shown by the app and try again.';
    case 'ExpiredError':
      return 'That code has expired. Start the sign-in again in the app to get a new code.';
    case 'AlreadyUsedError':
      return 'That code has already been used. Start the sign-in again in the app to get a new code.';
    case 'AbortedError':
      return 'Sign-in was cancelled. You can close this window.';
    default:
      return 'Something went wrong with that code. Try again.';
  }
}

function clientName(ctx: KoaContextWithOIDC): string {
  const client = ctx.oidc.client;
  return String(client?.clientName ?? client?.clientId ?? 'the app');
}

function setHtml(ctx: KoaContextWithOIDC, body: string) {
  // Our pages show what the request carried (an error, a user code): never let it be sniffed as script.
  ctx.set('x-content-type-options', 'nosniff');
  ctx.type = 'html';
  ctx.body = body;
}

export const devicePages = {
  async userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out?: unknown, err?: unknown) {
    const action = ctx.oidc.urlFor('code_verification');
    const code = (err as { userCode?: string } | undefined)?.userCode;
    setHtml(ctx, codeEntryPage({ action, xsrf: xsrfFrom(form), code, error: codeEntryError(err) }));
  },
  async userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, _client: unknown, _info: unknown, userCode: string) {
    const action = ctx.oidc.urlFor('code_verification');
    setHtml(ctx, confirmCodePage({ action, xsrf: xsrfFrom(form), userCode, clientName: clientName(ctx) }));
  },
  async successSource(ctx: KoaContextWithOIDC) {
    setHtml(ctx, deviceSuccessPage(clientName(ctx)));
  },
};

export const logoutPages = {
  async logoutSource(ctx: KoaContextWithOIDC, form: string) {
    setHtml(ctx, logoutPage(form, ctx.oidc.client ? clientName(ctx) : undefined));
  },
  async postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
    setHtml(ctx, signedOutPage());
  },
};

export async function renderError(
  ctx: KoaContextWithOIDC,
  out: { error: string; error_description?: string },
  _error: unknown,
) {
  setHtml(ctx, errorPage(out.error, out.error_description));
}
