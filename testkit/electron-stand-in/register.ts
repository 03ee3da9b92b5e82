// `node --import tsx --import ./testkit/electron-stand-in/register.ts …`: from here on, `import … from
// 'electron'` gets the recording stand-in (electron.ts). It is NOT Electron: it checks wiring only.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
