// Electronegativity (Doyensec's Electron security scanner) run programmatically: its CLI exits 0 even
// when it finds something, so the gate is on the result. A finding that was reviewed is annotated where
// it occurs (`// eng-disable CHECK_ID` with the reason), so the gate itself allows zero findings.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Finding {
  id: string;
  file: string;
  line: number;
  description: string;
}

const require = createRequire(import.meta.url);

/**
 * The scanner's HTTP client (`got`) as seen by the scanner, answering every request with a refusal.
 * It fetches translations and Electron's release list at start; both have bundled copies it falls
 * back to, and a gate must not depend on the network (offline, got's retries outlive the scan and end
 * in unhandled rejections that fail the test run).
 */
function keepScannerOffline(scannerRequire: NodeJS.Require): void {
  const path = scannerRequire.resolve('got');
  const refuse = () => Promise.reject(new Error('electronegativity gate: network access disabled'));
  const offline = Object.assign(refuse, { head: refuse, get: refuse, default: refuse });
  scannerRequire.cache[path] = { id: path, filename: path, loaded: true, exports: offline } as unknown as NodeJS.Module;
}

function loadScanner(): (options: object, forCli: boolean) => Promise<{ issues: any[]; errors: unknown[] }> {
  const packageDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const scannerRequire = createRequire(join(packageDir, 'package.json'));
  keepScannerOffline(scannerRequire);
  // Its own i18n setup downloads translations at start; configure the bundled English ones instead.
  scannerRequire('i18n').configure({
    locales: ['en-US'],
    defaultLocale: 'en-US',
    directory: join(packageDir, 'dist', 'locales'),
    updateFiles: false,
    objectNotation: true,
    register: globalThis,
  });
  return require('@doyensec/electronegativity');
}

/** Scan a folder; returns every finding and every file the scanner could not parse. */
export async function scanElectronApp(folder: string, electronVersion: string): Promise<{ findings: Finding[]; errors: unknown[] }> {
  const run = loadScanner();
  const result = await run(
    { input: folder, customScan: [], excludeFromScan: [], isRelative: true, isVerbose: false, electronVersionOverride: electronVersion, parserPlugins: [] },
    false,
  );
  return {
    findings: result.issues.map((i) => ({ id: i.id, file: i.file, line: i.location?.line ?? 0, description: i.description })),
    errors: result.errors,
  };
}

/** The app as Electron runs it: the shell and everything it loads, the renderer's HTML and source; no tests. */
export async function stageAppSources(root: string): Promise<{ folder: string; remove(): Promise<void> }> {
  const folder = await mkdtemp(join(tmpdir(), 'electronegativity-'));
  const notTests = (source: string) => !/(^|\/)test(\/|$)|\.test\.tsx?$/.test(source);
  await cp(join(root, 'electron'), join(folder, 'electron'), { recursive: true, filter: notTests });
  await cp(join(root, 'renderer'), join(folder, 'renderer'), { recursive: true, filter: notTests });
  return { folder, remove: () => rm(folder, { recursive: true, force: true }) };
}
