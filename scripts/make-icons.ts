// `npx tsx scripts/make-icons.ts`: draws the app icon (a white key on an Entra-blue rounded square) and
// writes the three files electron-builder looks for in build/ — icon.png (1024×1024, Linux), icon.icns
// (macOS) and icon.ico (Windows). Giving electron-builder the .icns and .ico ready-made means packaging
// never converts icons, which it would do with a toolset downloaded from GitHub. No image library: the
// shapes are signed distance functions (anti-aliased by their distance to the edge), PNG is written with
// node:zlib, and ICNS and ICO both just wrap PNGs. The output is committed; scripts/test/ checks that the
// committed files are what this script draws.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

/** The icon is designed on a 1024-unit grid; every size is drawn from the shapes, not scaled pixels. */
const GRID = 1024;
const TOP = [0x2b, 0x88, 0xd8] as const; // gradient top: a lighter Entra blue
const BOTTOM = [0x00, 0x5a, 0xa8] as const; // gradient bottom
const WHITE = [0xff, 0xff, 0xff] as const;

type Sdf = (x: number, y: number) => number;

const circle = (cx: number, cy: number, r: number): Sdf => (x, y) => Math.hypot(x - cx, y - cy) - r;
/** A rectangle centred on (cx, cy) with half sizes hw, hh and corner radius r. */
const roundedBox = (cx: number, cy: number, hw: number, hh: number, r: number): Sdf => (x, y) => {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const union = (...shapes: Sdf[]): Sdf => (x, y) => Math.min(...shapes.map((s) => s(x, y)));
const subtract = (shape: Sdf, hole: Sdf): Sdf => (x, y) => Math.max(shape(x, y), -hole(x, y));

/** macOS's icon grid: an 824-unit square with rounded corners inside a transparent margin. */
const tile = roundedBox(512, 512, 412, 412, 185);
/** A key: ring (bow) on top, shaft down the middle, two teeth to the right. */
const key = union(
  subtract(circle(512, 370, 170), circle(512, 370, 78)),
  roundedBox(512, 640, 44, 190, 22),
  roundedBox(590, 720, 44, 26, 10),
  roundedBox(578, 790, 32, 26, 10),
);

/** How much of a pixel a shape covers, from the distance (in pixels) of its centre to the edge. */
const coverage = (distancePx: number) => Math.min(1, Math.max(0, 0.5 - distancePx));
const mix = (a: number, b: number, t: number) => a + (b - a) * t;

/** The icon at `size`×`size` as straight (not premultiplied) RGBA bytes. */
export function renderIcon(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const unit = GRID / size; // grid units per pixel
  for (let py = 0; py < size; py++) {
    const y = (py + 0.5) * unit;
    const t = y / GRID;
    const background = [mix(TOP[0], BOTTOM[0], t), mix(TOP[1], BOTTOM[1], t), mix(TOP[2], BOTTOM[2], t)];
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) * unit;
      const alpha = coverage(tile(x, y) / unit);
      const i = (py * size + px) * 4;
      if (alpha === 0) continue; // transparent margin: all zero
      const white = coverage(key(x, y) / unit); // the key lies wholly inside the tile
      for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(mix(background[c]!, WHITE[c]!, white));
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

/**
 * PNG scanlines: each row prefixed with filter type 1 (Sub: the difference to the pixel on the left), which
 * turns the flat rows of this drawing into runs of zeros. These are the bytes inside IDAT before deflate,
 * so the test can compare them whatever zlib version compressed the committed file.
 */
export function pngScanlines(size: number, rgba: Uint8Array): Buffer {
  const stride = size * 4;
  const out = Buffer.alloc((stride + 1) * size);
  for (let y = 0; y < size; y++) {
    const row = y * (stride + 1);
    out[row] = 1;
    for (let x = 0; x < stride; x++) {
      const left = x >= 4 ? rgba[y * stride + x - 4]! : 0;
      out[row + 1 + x] = (rgba[y * stride + x]! - left) & 0xff;
    }
  }
  return out;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA, non-interlaced PNG. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // bit depth 8, colour type 6 (RGBA), deflate, adaptive filtering, no interlace
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const idat = deflateSync(pngScanlines(size, rgba), { level: 9 });
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Windows: PNG-compressed entries (Vista and later); 256 is what the installer and Explorer show large. */
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256] as const;

export function encodeIco(pngs: ReadonlyArray<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.png)]);
}

/** macOS: the PNG-carrying ICNS types and their pixel sizes (1× and @2× slots). */
export const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['ic11', 32], // 16@2x
  ['ic12', 64], // 32@2x
  ['ic07', 128],
  ['ic13', 256], // 128@2x
  ['ic08', 256],
  ['ic14', 512], // 256@2x
  ['ic09', 512],
  ['ic10', 1024], // 512@2x
] as const;

export function encodeIcns(entries: ReadonlyArray<{ type: string; png: Buffer }>): Buffer {
  const parts = entries.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(8 + png.length, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

/** The main icon's size: electron-builder wants at least 512 (macOS), 1024 recommended. */
export const ICON_SIZE = 1024;

/** Every generated file, by name in build/. */
export function iconFiles(): Record<'icon.png' | 'icon.icns' | 'icon.ico', Buffer> {
  const pngs = new Map<number, Buffer>();
  const png = (size: number) => pngs.get(size) ?? pngs.set(size, encodePng(size, renderIcon(size))).get(size)!;
  return {
    'icon.png': png(ICON_SIZE),
    'icon.icns': encodeIcns(ICNS_TYPES.map(([type, size]) => ({ type, png: png(size) }))),
    'icon.ico': encodeIco(ICO_SIZES.map((size) => ({ size, png: png(size) }))),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const buildDir = resolve(import.meta.dirname, '..', 'build');
  for (const [name, bytes] of Object.entries(iconFiles())) {
    writeFileSync(join(buildDir, name), bytes);
    console.log(`build/${name}: ${bytes.length} bytes`);
  }
}
