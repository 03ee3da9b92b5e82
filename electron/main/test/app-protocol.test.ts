import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { APP_ENTRY_URL, contentTypeOf, resolveAppRequest, serveAppRequest } from '../app-protocol.js';
import { isRendererUrl, isTrustedSender } from '../sender-policy.js';

const root = '/opt/app/dist/renderer';

test('app:// URLs map to files inside the renderer folder', () => {
  assert.equal(resolveAppRequest(APP_ENTRY_URL, root), join(root, 'index.html'));
  assert.equal(resolveAppRequest('app://renderer/', root), join(root, 'index.html'));
  assert.equal(resolveAppRequest('app://renderer/assets/index-abc.js?v=1#x', root), join(root, 'assets/index-abc.js'));
});

test('nothing outside the folder, on another host, or malformed is served', () => {
  // Dot segments (also %2e%2e) are clamped at the root by the URL parser; an encoded slash is caught here.
  assert.equal(resolveAppRequest('app://renderer/../../etc/passwd', root), join(root, 'etc/passwd'));
  assert.equal(resolveAppRequest('app://renderer/%2e%2e/%2e%2e/etc/passwd', root), join(root, 'etc/passwd'));
  for (const url of [
    'app://renderer/assets/..%2f..%2f..%2fsecret',
    'app://other/index.html',
    'app://user:pw@renderer/index.html',
    'file:///opt/app/dist/renderer/index.html',
    'app://renderer/a%00b',
    'app://renderer/%E0%A4%A',
    'not a url',
  ]) {
    assert.equal(resolveAppRequest(url, root), null, url);
  }
});

test('the app:// renderer is a trusted sender; other schemes and hosts are not', () => {
  const trusted = { origins: ['app://renderer'], fileUrls: [] };
  assert.equal(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: true }, trusted), true);
  assert.equal(isTrustedSender({ url: APP_ENTRY_URL, isMainFrame: false }, trusted), false);
  assert.equal(isRendererUrl('app://evil/index.html', trusted), false);
  assert.equal(isRendererUrl('file:///opt/app/dist/renderer/index.html', trusted), false);
});

test('the app:// handler answers files with their type and nosniff, and 404 for everything else', async () => {
  const { mkdtemp, mkdir, writeFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const dir = await mkdtemp(join(tmpdir(), 'app-protocol-'));
  try {
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html>');
    await writeFile(join(dir, 'assets', 'index-1.js'), 'export {}');
    await writeFile(join(dir, 'assets', 'index-1.css'), 'body{}');
    await writeFile(join(dir, 'assets', 'blob.bin'), 'x');
    const expected: Array<[string, number, string]> = [
      ['app://renderer/index.html', 200, 'text/html; charset=utf-8'],
      ['app://renderer/assets/index-1.js', 200, 'text/javascript; charset=utf-8'],
      ['app://renderer/assets/index-1.css', 200, 'text/css; charset=utf-8'],
      ['app://renderer/assets/blob.bin', 200, 'application/octet-stream'],
      ['app://renderer/assets', 404, 'text/plain; charset=utf-8'],
      ['app://renderer/missing.js', 404, 'text/plain; charset=utf-8'],
      ['app://other/index.html', 404, 'text/plain; charset=utf-8'],
    ];
    for (const [url, status, type] of expected) {
      const response = await serveAppRequest(url, dir);
      assert.equal(response.status, status, url);
      assert.equal(response.headers.get('content-type'), type, url);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', url);
    }
    assert.equal(await (await serveAppRequest('app://renderer/assets/index-1.js', dir)).text(), 'export {}');
    assert.equal(contentTypeOf('/x/MAIN.JS'), 'text/javascript; charset=utf-8');
    assert.equal(contentTypeOf('/x/constructor'), 'application/octet-stream');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
