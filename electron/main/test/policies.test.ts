import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedSender, isRendererUrl } from '../sender-policy.js';
import { decideWindowOpen, isAllowedAppNavigation, isAllowedNavigation, isPermissionAllowed, isRedirectUrl, loginWindowTitle } from '../navigation-policy.js';
import { RENDERER_FILE, trusted } from './fixtures.js';

test('only our renderer, in the top frame, is a trusted sender', () => {
  assert.ok(isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: true }, trusted));
  assert.ok(isTrustedSender({ url: `${RENDERER_FILE}#/tokens`, isMainFrame: true }, trusted), 'fragment and query do not matter');
  assert.ok(!isTrustedSender({ url: 'http://localhost:5173/', isMainFrame: false }, trusted), 'an iframe is not our UI');
  assert.ok(!isTrustedSender({ url: 'http://localhost:5174/', isMainFrame: true }, trusted), 'another port is another origin');
  assert.ok(!isTrustedSender({ url: 'file:///tmp/evil.html', isMainFrame: true }, trusted), 'any other local file is not ours');
  assert.ok(!isTrustedSender({ url: 'file:///opt/app/resources/app.asar/dist/renderer/../../evil/index.html', isMainFrame: true }, trusted));
  assert.ok(!isTrustedSender({ url: 'http://user:pw@localhost:5173/', isMainFrame: true }, trusted));
  assert.ok(!isTrustedSender({ url: 'not a url', isMainFrame: true }, trusted));
  assert.ok(!isRendererUrl('devtools://devtools/bundled/inspector.html', trusted));
});

test('the login window may visit the authority and this sign-in\'s redirect only', () => {
  const policy = { authorityOrigins: ['https://login.microsoftonline.com', 'https://localhost:8443'], redirectUri: 'http://127.0.0.1:53123/' };
  assert.ok(isAllowedNavigation('https://login.microsoftonline.com/common/oauth2/v2.0/authorize?x=1', policy));
  assert.ok(isAllowedNavigation('https://localhost:8443/interaction/abc', policy));
  assert.ok(isAllowedNavigation('http://127.0.0.1:53123/?code=abc&state=x', policy), 'the listener, with its query');
  assert.ok(!isAllowedNavigation('http://127.0.0.1:8080/?code=abc', policy), 'another local port is another program');
  assert.ok(!isAllowedNavigation('http://127.0.0.1:8080/admin', policy));
  assert.ok(!isAllowedNavigation('http://127.0.0.1/', policy), 'port 80 is not the listener either');
  assert.ok(!isAllowedNavigation('http://127.0.0.1:53123/admin', policy), 'another path on the listener');
  assert.ok(!isAllowedNavigation('http://localhost:53123/?code=abc', policy), 'localhost is not the redirect host');
  assert.ok(!isAllowedNavigation('https://127.0.0.1:53123/?code=abc', policy), 'https is another scheme');
  assert.ok(!isAllowedNavigation('http://user@127.0.0.1:53123/?code=abc', policy));
  assert.ok(!isAllowedNavigation('https://evil.example/phish', policy));
  assert.ok(!isAllowedNavigation('http://login.microsoftonline.com/', policy), 'http is another origin');
  assert.ok(!isAllowedNavigation('javascript:alert(1)', policy));
  assert.ok(!isAllowedNavigation('file:///etc/passwd', policy));
  assert.ok(!isAllowedNavigation('https://user@login.microsoftonline.com/', policy));
  assert.ok(!isAllowedNavigation('http://127.0.0.1:53123/?code=abc', { ...policy, redirectUri: '' }), 'no redirect known: none allowed');
});

test('redirect matching is exact on scheme, host, port and path; the query and fragment may differ', () => {
  const redirect = 'http://127.0.0.1:5000/auth/callback';
  assert.ok(isRedirectUrl('http://127.0.0.1:5000/auth/callback?code=1&state=s', redirect));
  assert.ok(isRedirectUrl('http://127.0.0.1:5000/auth/callback#x', redirect));
  assert.ok(!isRedirectUrl('http://127.0.0.1:5001/auth/callback?code=1', redirect), 'port');
  assert.ok(!isRedirectUrl('http://127.0.0.1/auth/callback?code=1', redirect), 'default port');
  assert.ok(!isRedirectUrl('http://127.0.0.1:5000/auth/callback/more', redirect), 'path below');
  assert.ok(!isRedirectUrl('http://127.0.0.1:5000/auth/callbackx', redirect), 'path prefix');
  assert.ok(!isRedirectUrl('http://127.0.0.1:5000/auth', redirect), 'path above');
  assert.ok(!isRedirectUrl('http://127.0.0.1:5000/other', redirect));
  assert.ok(!isRedirectUrl('http://[::1]:5000/auth/callback', redirect), 'host');
  assert.ok(!isRedirectUrl('https://127.0.0.1:5000/auth/callback', redirect), 'scheme');
  assert.ok(isRedirectUrl('http://127.0.0.1:5000/', 'http://127.0.0.1:5000/'));
  assert.ok(isRedirectUrl('http://127.0.0.1:5000', 'http://127.0.0.1:5000/'), 'an empty path is /');
  assert.ok(!isRedirectUrl('http://127.0.0.1:5000/x', 'http://127.0.0.1:5000/'), 'a root redirect is not every path');
  assert.ok(isRedirectUrl('https://app.example/cb?code=1', 'https://app.example/cb'));
  assert.ok(!isRedirectUrl('https://app.example:444/cb', 'https://app.example/cb'));
  assert.ok(!isRedirectUrl('http://127.0.0.1:5000/', 'not a url'));
});

test('the main window stays on the renderer; popups open externally only for expected https origins', () => {
  assert.ok(isAllowedAppNavigation(RENDERER_FILE, trusted));
  assert.ok(!isAllowedAppNavigation('https://evil.example', trusted));
  const external = ['https://microsoft.com', 'https://localhost:8443'];
  assert.deepEqual(decideWindowOpen('https://microsoft.com/devicelogin', external), { action: 'deny', openExternally: true });
  assert.deepEqual(decideWindowOpen('https://evil.example/', external), { action: 'deny', openExternally: false });
  assert.deepEqual(decideWindowOpen('ms-settings:privacy', external), { action: 'deny', openExternally: false });
  assert.deepEqual(decideWindowOpen('http://microsoft.com/devicelogin', ['http://microsoft.com']), { action: 'deny', openExternally: false }, 'plain http only on loopback');
});

test('permissions: only the clipboard write, only for the renderer', () => {
  assert.ok(isPermissionAllowed('clipboard-sanitized-write', RENDERER_FILE, trusted));
  assert.ok(!isPermissionAllowed('clipboard-sanitized-write', 'https://login.microsoftonline.com/', trusted));
  assert.ok(!isPermissionAllowed('media', RENDERER_FILE, trusted));
  assert.ok(!isPermissionAllowed('notifications', RENDERER_FILE, trusted));
});

test('login window title names the host', () => {
  assert.equal(loginWindowTitle('https://login.microsoftonline.com/common'), 'Sign in — login.microsoftonline.com');
  assert.equal(loginWindowTitle('%%%'), 'Sign in');
});
