// The Electron entry point (package.json "main" → dist/electron/main/index.js).
import { createAppController } from '../app/create-controller.js';
import { startDesktopApp } from './app.js';

startDesktopApp({
  createController: (ports) => createAppController(ports),
  ...(process.env.RENDERER_DEV_URL ? { devServerUrl: process.env.RENDERER_DEV_URL } : {}),
});
