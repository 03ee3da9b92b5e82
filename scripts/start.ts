// `npm start`: build, then launch the Electron app (which starts the local IdP in-process).
import { spawnSync } from 'node:child_process';
import { HOW_TO_GET_ELECTRON, findElectronBinary } from './electron-binary.js';

const electron = findElectronBinary();
if (!electron) {
  console.error(HOW_TO_GET_ELECTRON);
  process.exit(1);
}
const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const app = spawnSync(electron, ['.'], { stdio: 'inherit' });
process.exit(app.status ?? 1);
