// A tiny escaping HTML template: every interpolated value is escaped unless it is already SafeHtml.
// Pages load nothing from outside (no fonts, scripts or images), so they work offline and in tests
// that block every non-loopback request.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | undefined | null | false | readonly HtmlValue[];

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function render(value: HtmlValue): string {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

/** Trust markup produced by oidc-provider itself (its hidden-field forms). Never pass user input. */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f3f2f1;margin:0;color:#1b1b1b}
main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem 2.5rem;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:1.5rem;font-weight:600;margin:0 0 .5rem}
.tenant{color:#555;margin:0 0 1.5rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;border:1px solid #666}
input:focus,button:focus{outline:3px solid #0067b8;outline-offset:2px}
.actions{display:flex;gap:.75rem;justify-content:flex-end;margin-top:1.5rem}
button{font-size:1rem;padding:.5rem 1.25rem;border:1px solid #0067b8;background:#fff;color:#0067b8;cursor:pointer}
button.primary{background:#0067b8;color:#fff}
.error{color:#a80000;border-left:4px solid #a80000;padding:.5rem .75rem;background:#fde7e9}
ul{padding-left:1.25rem}
code.user-code{font-size:1.5rem;letter-spacing:.15em}
.hint{color:#555;font-size:.9rem}
`;

export function page(title: string, body: SafeHtml): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${trusted(STYLE)}</style>
</head>
<body><main>${body}</main></body>
</html>`.value;
}

/** An error line screen readers announce as soon as the page loads. */
export function errorBox(message: string | undefined): SafeHtml {
  return message ? html`<p class="error" role="alert" id="error">${message}</p>` : html``;
}
