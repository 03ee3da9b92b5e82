// The page the browser shows after the redirect to our loopback listener. Self-contained (inline
// style, no script, nothing loaded from anywhere) and free of anything from the query string except
// the IdP's error code, escaped, so the page can neither leak the code nor be used for injection.

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

export function redirectPage(ok: boolean, title: string, detail: string): string {
  const colour = ok ? '#0f7b0f' : '#a4262c';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f5f5f5;margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}
main{background:#fff;border-radius:8px;box-shadow:0 2px 8px rgba(0,0,0,.12);padding:2rem 2.5rem;max-width:28rem}
h1{font-size:1.4rem;color:${colour};margin:0 0 .75rem}p{color:#333;line-height:1.5;margin:0}</style></head>
<body><main role="main"><h1>${escape(title)}</h1><p>${escape(detail)}</p></main></body></html>`;
}
