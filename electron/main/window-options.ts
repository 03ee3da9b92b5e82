// Window sizes and the login partition. The security flags themselves are written as literals at each
// `new BrowserWindow(...)` in app.ts, on purpose: electronegativity (run in CI with zero findings
// allowed) reads them there and cannot follow a helper function's return value.

/** In-memory (no "persist:" prefix): the IdP's cookies never touch disk and vanish when the app quits. */
export const LOGIN_PARTITION = 'auth-login';

export const MAIN_WINDOW_SIZE = { width: 1100, height: 760, minWidth: 800, minHeight: 600 } as const;
export const LOGIN_WINDOW_SIZE = { width: 520, height: 700, minWidth: 400, minHeight: 500 } as const;

/**
 * The login window is a child of the app window everywhere, but modal only off macOS: there a modal
 * window is a sheet, with no title bar (the host in the title is the user's check of where they type
 * their password) and no close button to cancel (docs/api/browser-window.md, "Platform notices").
 */
export function isLoginWindowModal(platform: NodeJS.Platform, hasParent: boolean): boolean {
  return hasParent && platform !== 'darwin';
}
