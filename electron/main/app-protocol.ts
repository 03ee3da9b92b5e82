// The renderer is served from a privileged custom scheme, app://renderer/…, not file://: every file://
// page shares one opaque origin and, with the grantFileProtocolExtraPrivileges fuse off (build/), gets
// no special powers. Which file a request maps to is decided here, purely, so it is tested.
import { isAbsolute, relative, resolve, sep } from 'node:path';

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
