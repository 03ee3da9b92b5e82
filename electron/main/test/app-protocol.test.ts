import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { test } from 'node:test';
import { APP_ENTRY_URL, resolveAppRequest } from '../app-protocol.js';
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
