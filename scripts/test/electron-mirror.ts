// Test support for the first-run download: a stand-in "Electron" zip, a download mirror on loopback that
// serves it the way GitHub releases do, and a scratch copy of the electron package to download into.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';

const root = resolve(import.meta.dirname, '..', '..');
export const realElectronPackage = join(root, 'node_modules', 'electron');

export interface ZipEntry {
  name: string;
  data: Buffer;
  mode: number; // unix permission bits, e.g. 0o755
}

/** A zip archive with stored (uncompressed) entries and unix modes, enough for Electron's extractor. */
export function storedZip(entries: ZipEntry[]): Buffer {
  const DOS_TIME = 0;
  const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data, mode } of entries) {
    const fileName = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0, 6); // flags
    local.writeUInt16LE(0, 8); // method: stored
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: unix, so the external attributes carry the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38); // regular file + mode
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}

/** A POSIX shell script standing in for Electron: writes its arguments, one a line, to $STAND_IN_ARGV_FILE. */
export const STAND_IN_ELECTRON = '#!/bin/sh\nprintf \'%s\\n\' "$@" > "$STAND_IN_ARGV_FILE"\nexit "${STAND_IN_EXIT:-0}"\n';

export function electronVersionOf(packageDir: string): string {
  return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

export function standInElectronZip(version: string): Buffer {
  return storedZip([
    { name: 'electron', data: Buffer.from(STAND_IN_ELECTRON), mode: 0o755 },
    { name: 'version', data: Buffer.from(version), mode: 0o644 },
  ]);
}

export interface Mirror {
  url: string; // ends with '/', as ELECTRON_MIRROR expects
  requests: string[];
  close(): Promise<void>;
}

export type MirrorBehaviour = 'serve' | 'wrong-checksum' | 'stall';

/**
 * Serves `v<version>/electron-v<version>-<platform>-<arch>.zip` and the `SHASUMS256.txt` beside it (lines
 * `<sha256> *<file>`), as @electron/get fetches them with ELECTRON_MIRROR and electron_use_remote_checksums.
 * 'stall' accepts connections and never answers.
 */
export async function startMirror(version: string, behaviour: MirrorBehaviour = 'serve'): Promise<Mirror> {
  const fileName = `electron-v${version}-${process.platform}-${process.arch}.zip`;
  const zip = standInElectronZip(version);
  const sha = createHash('sha256').update(behaviour === 'wrong-checksum' ? Buffer.from('something else') : zip).digest('hex');
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (behaviour === 'stall') return;
    if (req.url === `/v${version}/${fileName}`) {
      res.writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length }).end(zip);
    } else if (req.url === `/v${version}/SHASUMS256.txt`) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${sha} *${fileName}\n`);
    } else {
      res.writeHead(404).end();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise((closed) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => closed());
      }),
  };
}

/** A loopback port nothing listens on: connections to it are refused (the offline case). */
export async function refusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * A copy of the electron package under `<dir>/node_modules/electron`, without any binary, its dependencies
 * linked from the real node_modules — so its installer downloads into the copy, never into the checkout.
 */
export function scratchElectronPackage(dir: string): string {
  const source = realpathSync(realElectronPackage);
  const modules = join(dir, 'node_modules');
  const target = join(modules, 'electron');
  cpSync(source, target, {
    recursive: true,
    filter: (file) => file !== join(source, 'dist') && file !== join(source, 'path.txt') && file !== join(source, 'node_modules'),
  });
  const { dependencies = {} } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    const found = [join(source, 'node_modules', name), join(dirname(source), name), join(root, 'node_modules', name)].find((p) => existsSync(p));
    if (!found) throw new Error(`electron's dependency ${name} is not installed`);
    const link = join(modules, name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(realpathSync(found), link, 'junction');
  }
  return target;
}
