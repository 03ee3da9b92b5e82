// Packaging needs the Electron binary, so it cannot run here; what can run is electron-builder's own first
// step. `Packager.validateConfig()` is what `electron-builder --config build/electron-builder.json` does
// before anything else: load the file (and package.json), check the package metadata, and validate the
// result against the JSON schema app-builder-lib ships (scheme.json, through its ajv). The deb target's
// own pre-build check (homepage, maintainer) runs too, as do checks of the generated icons.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inflateSync } from 'node:zlib';
import { AppInfo, Packager, type Configuration } from 'app-builder-lib';
import { ICON_SIZE, pngScanlines, renderIcon } from '../make-icons.js';

const root = resolve(import.meta.dirname, '..', '..');
const CONFIG = 'build/electron-builder.json';
const config = JSON.parse(readFileSync(join(root, CONFIG), 'utf8')) as Configuration & Record<string, unknown>;

/** electron-builder's own validation of a configuration file, for the project in `projectDir`. */
async function validate(configPath: string, projectDir = root): Promise<Packager> {
  const packager = new Packager({ projectDir, config: configPath });
  await packager.validateConfig(); // prints electron-builder's "• loaded configuration" lines
  return packager;
}

/**
 * The deb target's pre-build check (FpmTarget.checkOptions: a homepage, and a maintainer from
 * `linux.maintainer`/`deb.maintainer` or the author's email), run without constructing the target, whose
 * constructor already writes install scripts.
 */
async function debCheck(packager: Packager): Promise<{ maintainer: string; url: string }> {
  const { default: FpmTarget } = createRequire(import.meta.url)('app-builder-lib/out/targets/FpmTarget.js') as {
    default: { prototype: { checkOptions(): Promise<{ maintainer: string; url: string }> } };
  };
  const target = Object.create(FpmTarget.prototype) as { packager: unknown; options: unknown; checkOptions(): Promise<{ maintainer: string; url: string }> };
  target.packager = { appInfo: new AppInfo(packager, null), info: packager };
  target.options = { ...packager.config.linux, ...packager.config.deb }; // as FpmTarget's constructor merges them
  return target.checkOptions();
}

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'electron-builder-config-'));
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('build/electron-builder.json, as electron-builder checks it', () => {
  test('passes electron-builder validation (package metadata and scheme.json)', async () => {
    const packager = await validate(CONFIG);
    assert.equal(packager.config.appId, 'com.example.entra-desktop-sample');
  });

  // Each wrong copy must be refused: the test would be worthless if validation accepted anything.
  const wrongCopies: Record<string, { mutate: (c: any) => void; names: string }> = {
    'an unknown macOS target': { mutate: (c) => (c.mac.target = ['dmgg']), names: 'configuration.mac.target' },
    'a string where a boolean belongs': { mutate: (c) => (c.nsis.oneClick = 'sometimes'), names: 'configuration.nsis.oneClick' },
    'a misspelt option': { mutate: (c) => (c.linux.maintainr = 'someone'), names: 'configuration.linux' },
    'a fuse that is not a boolean': { mutate: (c) => (c.electronFuses.runAsNode = 'no'), names: 'configuration.electronFuses.runAsNode' },
  };
  for (const [what, { mutate, names }] of Object.entries(wrongCopies)) {
    test(`refuses a copy with ${what}`, async () => {
      const copy = structuredClone(config);
      mutate(copy);
      const file = join(scratch, `wrong-${what.replaceAll(' ', '-')}.json`);
      await writeFile(file, JSON.stringify(copy));
      // The error is electron-builder's report for people; it names the offending option.
      await assert.rejects(validate(file), (error: Error) => error.message.includes(names));
    });
  }

  test('an unchanged copy in the same place passes (the refusals above are the mutations)', async () => {
    const file = join(scratch, 'unchanged.json');
    await writeFile(file, JSON.stringify(config));
    await validate(file);
  });

  test('the deb target has what it needs: a homepage and a maintainer with an email', async () => {
    const packager = await validate(CONFIG);
    const deb = await debCheck(packager);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { homepage: string; author: { name: string; email: string } };
    assert.equal(deb.url, pkg.homepage);
    assert.equal(new URL(deb.url).protocol, 'https:');
    assert.equal(deb.maintainer, `${pkg.author.name} <${pkg.author.email}>`);
  });

  test('the deb check fails without a homepage or an author email (so the test above means something)', async () => {
    await writeFile(join(scratch, 'deb-only.json'), JSON.stringify({ appId: 'com.example.bare', linux: { target: ['deb'] } }));
    const project = async (name: string, metadata: object) => {
      const dir = join(scratch, name);
      await mkdir(dir);
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', description: name, ...metadata }));
      return validate(join(scratch, 'deb-only.json'), dir);
    };
    const complete = { homepage: 'https://example.com/bare', author: { name: 'Someone', email: 'someone@example.com' } };
    await debCheck(await project('complete', complete));
    await assert.rejects(debCheck(await project('no-homepage', { ...complete, homepage: undefined })));
    await assert.rejects(debCheck(await project('no-email', { ...complete, author: { name: 'Someone' } })));
  });

  test('the targets: AppImage and deb, dmg, per-user one-click nsis', () => {
    assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
    assert.equal(config.linux?.category, 'Development');
    assert.match(String(config.linux?.executableName), /^[a-z0-9-]+$/, 'a Linux executable name without spaces or capitals');
    assert.deepEqual(config.mac?.target, ['dmg']);
    assert.equal(config.mac?.category, 'public.app-category.developer-tools');
    assert.deepEqual(config.win?.target, ['nsis']);
    assert.equal(config.nsis?.oneClick, true);
    assert.equal(config.nsis?.perMachine, false, 'per user: no administrator prompt');
  });

  test('the Electron fuses are unchanged', () => {
    assert.deepEqual(config.electronFuses, {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  test('the app files leave out source maps and test code (exclusions after the inclusion they narrow)', () => {
    const files = config.files as string[];
    const included = files.indexOf('dist/**/*');
    assert.ok(included >= 0);
    for (const exclusion of ['!dist/**/*.map', '!dist/**/test/**', '!dist/**/*.test.js']) {
      assert.ok(files.indexOf(exclusion) > included, `${exclusion} after dist/**/*`);
    }
  });

  test('macOS: hardened runtime with entitlements that allow V8 JIT and nothing broader', () => {
    assert.equal(config.mac?.hardenedRuntime, true);
    assert.equal(config.mac?.entitlements, 'build/entitlements.mac.plist');
    assert.equal(config.mac?.entitlementsInherit, 'build/entitlements.mac.plist');
    const plist = readFileSync(join(root, 'build/entitlements.mac.plist'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const keys = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    assert.deepEqual(keys, ['com.apple.security.cs.allow-jit']);
  });
});

describe('the generated icons in build/', () => {
  const file = (name: string) => readFileSync(join(root, 'build', name));
  const pngSize = (png: Buffer) => {
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
    return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png[24], colourType: png[25] };
  };

  test('each platform names an icon file that exists', () => {
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      assert.ok(typeof icon === 'string' && existsSync(join(root, icon)), `${icon} exists`);
    }
  });

  test('icon.png is the 1024×1024 RGBA picture scripts/make-icons.ts draws', () => {
    const png = file('icon.png');
    assert.deepEqual(pngSize(png), { width: ICON_SIZE, height: ICON_SIZE, bitDepth: 8, colourType: 6 });
    const idat: Buffer[] = [];
    for (let at = 8; at < png.length; ) {
      const length = png.readUInt32BE(at);
      if (png.subarray(at + 4, at + 8).toString('latin1') === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
      at += 12 + length;
    }
    // Compared before compression, so another zlib version cannot make a faithful file look stale.
    assert.ok(inflateSync(Buffer.concat(idat)).equals(pngScanlines(ICON_SIZE, renderIcon(ICON_SIZE))), 'run `npx tsx scripts/make-icons.ts`');
  });

  test('icon.icns is well formed and carries the 1024 (512@2x) image macOS asks for', () => {
    const icns = file('icon.icns');
    assert.equal(icns.subarray(0, 4).toString('latin1'), 'icns');
    assert.equal(icns.readUInt32BE(4), icns.length);
    const types = new Map<string, Buffer>();
    for (let at = 8; at < icns.length; ) {
      const length = icns.readUInt32BE(at + 4);
      assert.ok(length > 8 && at + length <= icns.length);
      types.set(icns.subarray(at, at + 4).toString('latin1'), icns.subarray(at + 8, at + length));
      at += length;
    }
    assert.deepEqual(pngSize(types.get('ic10')!), { width: 1024, height: 1024, bitDepth: 8, colourType: 6 });
    assert.deepEqual(pngSize(types.get('ic09')!), { width: 512, height: 512, bitDepth: 8, colourType: 6 });
  });

  test('icon.ico is well formed and has the 256×256 image electron-builder requires', () => {
    const ico = file('icon.ico');
    assert.equal(ico.readUInt16LE(0), 0);
    assert.equal(ico.readUInt16LE(2), 1);
    const sizes: number[] = [];
    for (let i = 0; i < ico.readUInt16LE(4); i++) {
      const entry = 6 + 16 * i;
      const size = ico[entry] || 256;
      const [length, offset] = [ico.readUInt32LE(entry + 8), ico.readUInt32LE(entry + 12)];
      assert.ok(offset + length <= ico.length);
      assert.equal(pngSize(ico.subarray(offset, offset + length)).width, size);
      sizes.push(size);
    }
    assert.ok(sizes.includes(256) && sizes.includes(16), `sizes ${sizes.join(', ')}`);
  });
});
