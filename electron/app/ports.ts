// The seam between the Electron shell and the app controller (plain Node, no electron import): what
// the shell needs from the controller, and what it gives the controller. Declared here, by the layer
// that uses the ports (DESIGN.md "Ports"), so electron/main imports this file and never the reverse
// (scripts/layering.ts). Browser e2e tests run the same controller with Playwright-backed ports.
import type { EventName, Handlers, PayloadOf } from '../../shared/ipc-contract.js';
import type { ErrorView } from '../../shared/views.js';

/** One event for the renderer, as a tagged union so a listener can switch on `name`. */
export type AppEvent = { [E in EventName]: { name: E; payload: PayloadOf<E> } }[EventName];

/** A certificate the login window trusts beyond the OS store (the local IdP's), pinned to one host. */
export interface PinnedCertificate {
  /** Host name as the browser sees it, e.g. "localhost". */
  readonly host: string;
  /** Electron's Certificate.fingerprint form: "sha256/<base64>". */
  readonly fingerprint: string;
}

export interface AppController extends Handlers {
  /** Subscribe to events for the renderer; returns the unsubscribe function. */
  subscribe(listener: (event: AppEvent) => void): () => void;
  /**
   * Turn anything a handler threw into the view the renderer shows (the engine's errors carry
   * stable codes; see shared/error-messages.ts `toErrorView`). Must not include secrets.
   */
  describeError(error: unknown): ErrorView;
  /** Origins the renderer may open in the system browser (device-code verification page, IdP). */
  externalOrigins(): readonly string[];
  /** Certificates the login window trusts beyond the OS store: the local IdP's, pinned (empty for Entra). */
  pinnedCertificates(): readonly PinnedCertificate[];
  /** Cancel anything in flight and release listeners and timers; called before the app quits. */
  dispose(): Promise<void>;
}

/** Where the login window may go (electron/main/navigation-policy.ts decideLoginNavigation enforces it). */
export interface LoginNavigationPolicy {
  /**
   * Origins of the authority, e.g. ["https://login.microsoftonline.com"]. Not an allowlist (the window
   * follows any https page, see decideLoginNavigation): the title says when the user has left them.
   */
  readonly authorityOrigins: readonly string[];
  /**
   * The exact redirect_uri of this sign-in, port included, e.g. "http://127.0.0.1:53123/" (the
   * listener's). The IdP registration leaves the loopback port free (RFC 8252 §7.3); this window does
   * not: any other local port is another program's web service.
   */
  readonly redirectUri: string;
}

/** The login window's top-level page, or a frame inside it (IdP pages embed frames). */
export type FrameKind = 'main' | 'sub';

/**
 * Why a navigation was refused, for the error the user sees. Scheme and host only, never the path or
 * query: a refused URL may carry an authorization code, a state or a user's name.
 */
export interface BlockedNavigation {
  /**
   * `scheme`: neither https nor (main frame) the loopback redirect; `not-redirect`: http, but not this
   * sign-in's exact redirect; `credentials`: user:password@ in the URL; `invalid`: not a URL at all.
   */
  readonly rule: 'scheme' | 'not-redirect' | 'credentials' | 'invalid';
  readonly frame: FrameKind;
  /** e.g. "http:", "file:", "ms-outlook:" ("" when the URL did not parse). */
  readonly scheme: string;
  /** e.g. "127.0.0.1:8080" ("" for schemes without one, such as file: or mailto:). */
  readonly host: string;
}

export interface LoginWindowRequest extends LoginNavigationPolicy {
  /** The authorization URL to load. */
  readonly url: string;
  /** Called once if the user closes the window: the controller aborts the request (UserCancelError). */
  readonly onClosedByUser: () => void;
  /** Called if the window cannot load the authority at all (offline, TLS failure): fall back to device code. */
  readonly onLoadFailed?: (reason: { errorCode: number; errorDescription: string }) => void;
  /**
   * Called when the top frame was refused a navigation (navigation-policy.ts decideLoginNavigation):
   * the window would otherwise sit on the page it could not leave until the sign-in times out, so the
   * controller ends the sign-in with an error the user sees. May be called more than once.
   */
  readonly onNavigationBlocked?: (blocked: BlockedNavigation) => void;
}

export interface LoginWindowHandle {
  /** Close the window programmatically (success, error or timeout); does not call onClosedByUser. */
  close(): void;
}

/** What the Electron shell provides to the controller. */
export interface ShellPorts {
  /** The engine's `openBrowser` port: a modal login window on an in-memory partition. */
  openLoginWindow(request: LoginWindowRequest): LoginWindowHandle;
  /** Clear the login partition's cookies and storage for these origins (remove account / sign out). */
  clearLoginSession(origins: readonly string[]): Promise<void>;
  /**
   * Put text on the system clipboard (the explicit "copy access token" action). The shell clears it
   * after a minute if it still holds that text, so a token does not linger there.
   */
  writeClipboard(text: string): Promise<void>;
  /**
   * Open a URL in the system browser (end-session page when signing out, the device code's
   * verification page): https, or http on loopback; the shell refuses anything else.
   */
  openExternal(url: string): Promise<void>;
  /** Chromium's proxy for a URL (`"DIRECT"`, `"PROXY host:port; DIRECT"`), so the engine leaves the way the login window does. */
  resolveProxy?(url: string): Promise<string>;
  /** Where the controller keeps its files (config, encrypted cache, active account). */
  readonly userDataDir: string;
}

export type AppControllerFactory = (ports: ShellPorts) => Promise<AppController>;
