// Trust for the local IdP's self-signed certificate, pinned to that exact certificate for that host.
// Everything else keeps Chromium's own verdict, so this can never weaken trust for a real authority.
import type { PinnedCertificate } from '../app/ports.js';

// Declared with the controller's ports (the controller says which certificates it pins).
export type { PinnedCertificate };

/** Electron's setCertificateVerifyProc codes: 0 = trust, -3 = use Chromium's verification result. */
export type CertificateVerdict = 0 | -3;

export function certificateVerdict(request: { hostname: string; fingerprint: string }, pins: readonly PinnedCertificate[]): CertificateVerdict {
  return pins.some((pin) => pin.host === request.hostname && pin.fingerprint === request.fingerprint) ? 0 : -3;
}
