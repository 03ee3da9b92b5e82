// The certificates the engine trusts for hosts other than the pinned one: Node's bundled roots, the
// operating system's store (where an enterprise installs its own root, e.g. for TLS inspection), and
// an extra CA file from the app's configuration. NODE_EXTRA_CA_CERTS is honoured too where Node reads
// it, but a packaged Electron app turns it off (the nodeOptions fuse), hence `extraCaPem`.
import tls from 'node:tls';

type CaType = 'default' | 'system' | 'bundled' | 'extra';
/** `tls.getCACertificates` exists from Node 22.15 / 23.5 (engines allows 22.12): feature-detected. */
const getCACertificates = (tls as unknown as { getCACertificates?: (type?: CaType) => string[] }).getCACertificates;

let osRoots: string[] | undefined;

/** The OS store, read once per process (on macOS and Windows it is a keychain/registry walk). */
export function systemCertificates(): string[] {
  if (osRoots) return osRoots;
  try {
    osRoots = getCACertificates ? getCACertificates('system') : [];
  } catch {
    // A store that cannot be read is no reason to stop: the bundled roots still work.
    osRoots = [];
  }
  return osRoots;
}

/**
 * The `ca` list for ordinary hosts. `undefined` means "Node's defaults", used only when there is
 * nothing to add (a Node without getCACertificates and no extra CA).
 */
export function trustedRoots(extraCaPem: string | undefined): string[] | undefined {
  const base = getCACertificates ? [...getCACertificates('default'), ...systemCertificates()] : extraCaPem ? [...tls.rootCertificates] : undefined;
  if (!base) return undefined;
  return [...new Set(extraCaPem ? [...base, extraCaPem] : base)];
}
