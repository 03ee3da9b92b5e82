// The only form of an access token that may leave the main process: enough to tell two tokens apart
// on screen, too little to use. Lives in shared/ so the controller and the tests agree on it.

export function maskAccessToken(token: string): string {
  if (token.length < 24) return `•••• (${token.length} chars)`;
  return `${token.slice(0, 4)}…${token.slice(-4)} (${token.length} chars)`;
}
