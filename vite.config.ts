// Builds the renderer (renderer/index.html → dist/renderer). Relative asset URLs (`base: './'`) so the
// page works wherever it is served from (app://renderer in Electron, a loopback server in the e2e
// tests). No inline scripts or styles in the output, so the strict CSP in index.html holds.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // A floor below the Chromium of Electron 45 (its first nightlies were already on 151) and of the
    // Debian Chromium the browser e2e tests use: modern syntax is kept as written.
    target: 'chrome140',
    // Keep every asset a file: an inlined data: font or script would be refused by the CSP anyway.
    assetsInlineLimit: 0,
    sourcemap: true,
    modulePreload: { polyfill: false },
  },
  server: { port: 5173, strictPort: true },
});
