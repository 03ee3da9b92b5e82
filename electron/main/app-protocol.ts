// The renderer is served from a privileged custom scheme, app://renderer/…, not file://: every file://
// page shares one opaque origin and, with the grantFileProtocolExtraPrivileges fuse off (build/), gets
// no special powers. Which file a request maps to is decided here, purely, so it is tested.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
/** Origin-like identity of the renderer (WHATWG gives custom schemes an opaque origin, so compare this). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** The file under `rootDir` that an app:// request asks for, or null (wrong host, escape attempt, bad URL). */
export function resolveAppRequest(url: string, rootDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const root = resolve(rootDir);
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}

/**
 * The Content-Type the app:// handler sends for a renderer file, set by us rather than guessed from
 * the platform's MIME registry (module scripts need a JavaScript type under strict MIME checking, and
 * the handler also sends nosniff). Unknown kinds are served as bytes the page cannot run.
 */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(file: string): string {
  const ext = extname(file).toLowerCase();
  return Object.hasOwn(CONTENT_TYPES, ext) ? CONTENT_TYPES[ext]! : 'application/octet-stream';
}

/**
 * The app:// protocol handler's answer: the renderer file with its type, or 404 for anything that is
 * not a readable file inside the renderer folder. (fs reads from app.asar too: Electron patches it.)
 */
export async function serveAppRequest(url: string, rootDir: string): Promise<Response> {
  const file = resolveAppRequest(url, rootDir);
  const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
  if (!file) return notFound();
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return notFound(); // missing, a directory, unreadable: nothing to serve
  }
  return new Response(new Uint8Array(body), { status: 200, headers: { 'content-type': contentTypeOf(file), 'x-content-type-options': 'nosniff' } });
}
