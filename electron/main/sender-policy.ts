// Is this IPC sender (or this URL) our own renderer? Pure, so it is tested without Electron and reused
// by the browser bridge. The renderer is served from app://renderer in the packaged app (see
// app-protocol.ts) or over http(s) (Vite dev server, e2e server) — both matched by origin. A file:// entry
// is matched by exact path, because every file:// URL has the same opaque origin and "any local file"
// must not count as ours.

export interface SenderInfo {
  /** URL of the frame that sent the message (Electron: event.senderFrame.url). */
  readonly url: string;
  /** Only the top frame is trusted: an iframe, even same-origin, is not our UI. */
  readonly isMainFrame: boolean;
}

export interface TrustedRenderer {
  /** e.g. ["http://localhost:5173"] in development. */
  readonly origins: readonly string[];
  /** e.g. ["file:///opt/app/resources/app.asar/dist/renderer/index.html"]. */
  readonly fileUrls: readonly string[];
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** file: URL without query and fragment, normalised by the URL parser ("/a/../b" → "/b"). */
function fileIdentity(url: URL): string {
  return `file://${url.host}${url.pathname}`;
}

export function isRendererUrl(url: string, trusted: TrustedRenderer): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    if (parsed.username || parsed.password) return false;
    return trusted.origins.some((origin) => parse(origin)?.origin === parsed.origin);
  }
  if (parsed.protocol === 'app:') {
    // Custom schemes have an opaque WHATWG origin ("null"): compare scheme and host instead.
    if (parsed.username || parsed.password) return false;
    return trusted.origins.some((origin) => {
      const allowed = parse(origin);
      return allowed?.protocol === 'app:' && allowed.host === parsed.host;
    });
  }
  if (parsed.protocol === 'file:') {
    return trusted.fileUrls.some((f) => {
      const allowed = parse(f);
      return allowed?.protocol === 'file:' && fileIdentity(allowed) === fileIdentity(parsed);
    });
  }
  return false;
}

export function isTrustedSender(sender: SenderInfo, trusted: TrustedRenderer): boolean {
  return sender.isMainFrame && isRendererUrl(sender.url, trusted);
}
