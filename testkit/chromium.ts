// Debian's Chromium driven by playwright-core: Playwright's own browser downloads are not reachable here.
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
  const found = CANDIDATES.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found: run `bash scripts/install-prerequisites.sh` (or set CHROMIUM_PATH)');
  return found;
}

/** Flags from RECIPES.md: without the background-networking ones Chromium floods the closed network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  /** PEM certificates the browser must trust (the local IdP's pinned certificate). */
  trustedCertPem?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * A fresh persistent context in a throw-away profile. Every request that leaves loopback is aborted,
 * so a stray external font or script fails loudly instead of silently timing out.
 */
export async function launchTestBrowser(options: LaunchOptions = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  const args = [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])];
  if (options.trustedCertPem) {
    // Chromium has no "trust this one PEM" switch; pin by SPKI hash instead, which trusts exactly that key.
    const { spkiHashOfPem } = await import('./spki.js');
    args.push(`--ignore-certificate-errors-spki-list=${spkiHashOfPem(options.trustedCertPem)}`);
  }
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    args,
    env: options.env ?? process.env,
  });
  await context.route('**/*', (route) => {
    const { hostname } = new URL(route.request().url());
    if (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]') return route.continue();
    return route.abort('blockedbyclient');
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
