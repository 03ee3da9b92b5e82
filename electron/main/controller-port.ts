// The seam between the Electron shell and the app controller (plain Node, written separately, no
// electron import): what the shell needs from the controller, and what it gives the controller.
// Browser e2e tests run the same controller with Playwright-backed ports instead of these windows.
import type { EventName, Handlers, PayloadOf } from '../../shared/ipc-contract.js';
import type { ErrorView } from '../../shared/views.js';
import type { LoginNavigationPolicy } from './navigation-policy.js';
import type { PinnedCertificate } from './certificate-policy.js';

/** One event for the renderer, as a tagged union so a listener can switch on `name`. */
export type AppEvent = { [E in EventName]: { name: E; payload: PayloadOf<E> } }[EventName];

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

export interface LoginWindowRequest extends LoginNavigationPolicy {
  /** The authorization URL to load. */
  readonly url: string;
  /** Called once if the user closes the window: the controller aborts the request (UserCancelError). */
  readonly onClosedByUser: () => void;
  /** Called if the window cannot load the authority at all (offline, TLS failure): fall back to device code. */
  readonly onLoadFailed?: (reason: { errorCode: number; errorDescription: string }) => void;
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
  /** Open an http(s) URL in the system browser (end-session page when signing out). */
  openExternal(url: string): Promise<void>;
  /** Chromium's proxy for a URL (`"DIRECT"`, `"PROXY host:port; DIRECT"`), so the engine leaves the way the login window does. */
  resolveProxy?(url: string): Promise<string>;
  /** Where the controller keeps its files (config, encrypted cache, active account). */
  readonly userDataDir: string;
}

export type AppControllerFactory = (ports: ShellPorts) => Promise<AppController>;
