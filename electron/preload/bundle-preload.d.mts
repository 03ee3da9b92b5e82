/** Bundle electron/preload/index.ts to one CommonJS file (electron external); resolves to the file written. */
export function bundlePreload(outfile?: string): Promise<string>;
