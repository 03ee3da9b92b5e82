import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTrustedSender, isRendererUrl } from '../sender-policy.js';
import { decideLoginNavigation, decideWindowOpen, describeBlockedNavigation, isAllowedAppNavigation, isAllowedNavigation, isExternalBrowserUrl, isPermissionAllowed, isRedirectUrl, loginWindowTitle } from '../navigation-policy.js';
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

const policy = { authorityOrigins: ['https://login.microsoftonline.com'], redirectUri: 'http://127.0.0.1:53123/' };

test('the login window follows any https page (federation, MSA, MFA registration, SSPR) and http only to this redirect', () => {
  assert.ok(isAllowedNavigation('https://login.microsoftonline.com/common/oauth2/v2.0/authorize?x=1', policy));
  for (const away of ['https://adfs.fabrikam.example/adfs/ls/?wa=wsignin1.0', 'https://login.live.com/oauth20_authorize.srf', 'https://mysignins.microsoft.com/register', 'https://passwordreset.microsoftonline.com/', 'https://localhost:8443/interaction/abc']) {
    assert.ok(isAllowedNavigation(away, policy), away);
  }
  assert.ok(isAllowedNavigation('http://127.0.0.1:53123/?code=abc&state=x', policy), 'the listener, with its query');
  assert.ok(!isAllowedNavigation('http://127.0.0.1:8080/?code=abc', policy), 'another local port is another program');
  assert.ok(!isAllowedNavigation('http://127.0.0.1:8080/admin', policy));
  assert.ok(!isAllowedNavigation('http://127.0.0.1/', policy), 'port 80 is not the listener either');
  assert.ok(!isAllowedNavigation('http://127.0.0.1:53123/admin', policy), 'another path on the listener');
  assert.ok(!isAllowedNavigation('http://localhost:53123/?code=abc', policy), 'localhost is not the redirect host');
  assert.ok(!isAllowedNavigation('http://user@127.0.0.1:53123/?code=abc', policy));
  assert.ok(!isAllowedNavigation('http://login.microsoftonline.com/', policy), 'plain http, even to the authority host');
  assert.ok(!isAllowedNavigation('http://adfs.fabrikam.example/', policy));
  for (const other of ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,hi', 'about:blank', 'ms-outlook://compose', 'msauth.com.example://auth', 'blob:https://login.microsoftonline.com/x', 'chrome://settings', 'ftp://example.com/']) {
    assert.ok(!isAllowedNavigation(other, policy), other);
  }
  assert.ok(!isAllowedNavigation('https://user@login.microsoftonline.com/', policy), 'credentials in the URL');
  assert.ok(!isAllowedNavigation('https://u:p@adfs.fabrikam.example/', policy));
  assert.ok(!isAllowedNavigation('not a url', policy));
  assert.ok(!isAllowedNavigation('http://127.0.0.1:53123/?code=abc', { ...policy, redirectUri: '' }), 'no redirect known: none allowed');
});

test('a refused navigation says why, with its scheme and host and never the rest of the URL', () => {
  const blocked = (url: string, frame: 'main' | 'sub' = 'main') => {
    const decision = decideLoginNavigation(url, policy, frame);
    assert.equal(decision.allowed, false, url);
    return decision.allowed ? undefined : decision.blocked;
  };
  assert.deepEqual(blocked('http://127.0.0.1:8080/cb?code=SECRET&state=s'), { rule: 'not-redirect', frame: 'main', scheme: 'http:', host: '127.0.0.1:8080' });
  assert.deepEqual(blocked('file:///etc/passwd'), { rule: 'scheme', frame: 'main', scheme: 'file:', host: '' });
  assert.deepEqual(blocked('ms-outlook:compose?to=a@b'), { rule: 'scheme', frame: 'main', scheme: 'ms-outlook:', host: '' });
  assert.deepEqual(blocked('https://alice:pw@login.microsoftonline.com/'), { rule: 'credentials', frame: 'main', scheme: 'https:', host: 'login.microsoftonline.com' });
  assert.deepEqual(blocked('%%%'), { rule: 'invalid', frame: 'main', scheme: '', host: '' });
  assert.deepEqual(decideLoginNavigation('https://adfs.fabrikam.example/', policy), { allowed: true });

  const texts = [
    describeBlockedNavigation(blocked('http://127.0.0.1:8080/cb?code=SECRET&state=s')!),
    describeBlockedNavigation(blocked('file:///home/alice/secret.txt')!),
    describeBlockedNavigation(blocked('ms-outlook:compose?to=alice@contoso.example')!),
    describeBlockedNavigation(blocked('https://alice:pw@login.microsoftonline.com/x')!),
    describeBlockedNavigation(blocked('%%%')!),
  ];
  assert.equal(texts[0], "http://127.0.0.1:8080 is plain http and not this sign-in's redirect");
  assert.equal(texts[1], 'file: is not an https address');
  assert.equal(texts[2], 'ms-outlook: is not an https address');
  assert.equal(texts[3], 'https://login.microsoftonline.com has a user name or password in it');
  assert.equal(texts[4], 'the address is not a URL');
  for (const text of texts) assert.doesNotMatch(text, /SECRET|state=|alice|pw|\/cb|\/x|secret/, text);
  const long = describeBlockedNavigation(blocked(`${'x'.repeat(500)}:y`)!);
  assert.ok(long.length < 80, 'a very long scheme is cut');
});

test('frames inside an IdP page: any https, blank and srcdoc documents, and no other scheme', () => {
  const sub = (url: string) => decideLoginNavigation(url, policy, 'sub').allowed;
  assert.ok(sub('https://login.live.com/Me.htm?v=3'), 'another origin: frames are not held to the top-level rule');
  assert.ok(sub('https://ads.example/frame'));
  assert.ok(sub('about:blank'));
  assert.ok(sub('about:srcdoc'));
  for (const url of ['http://127.0.0.1:53123/?code=abc', 'http://login.live.com/', 'file:///etc/passwd', 'data:text/html,hi', 'javascript:alert(1)', 'ms-outlook:x', 'about:settings', 'https://u:p@login.live.com/']) {
    assert.ok(!sub(url), url);
  }
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

test('login window title names the host, and says when it is not the authority\'s', () => {
  const authority = ['https://login.microsoftonline.com'];
  assert.equal(loginWindowTitle('https://login.microsoftonline.com/common', authority), 'Sign in — login.microsoftonline.com');
  assert.equal(loginWindowTitle('https://adfs.fabrikam.example/adfs/ls/?wa=1', authority), 'Signing in at adfs.fabrikam.example — redirected from login.microsoftonline.com');
  assert.equal(loginWindowTitle('https://login.microsoftonline.com:444/', authority), 'Signing in at login.microsoftonline.com:444 — redirected from login.microsoftonline.com', 'another port is another origin');
  assert.equal(loginWindowTitle('https://xn--micrsoft-q4a.example/', authority), 'Signing in at xn--micrsoft-q4a.example — redirected from login.microsoftonline.com');
  assert.equal(loginWindowTitle('https://micrösoft.example/', authority), 'Signing in at xn--micrsoft-q4a.example — redirected from login.microsoftonline.com', 'a look-alike name shows as punycode');
  assert.equal(loginWindowTitle('https://localhost:8443/contoso', ['https://localhost:8443']), 'Sign in — localhost:8443');
  assert.equal(loginWindowTitle('https://login.microsoftonline.com/common'), 'Sign in — login.microsoftonline.com', 'no authority known: just the host');
  assert.equal(loginWindowTitle('%%%', authority), 'Sign in');
  assert.equal(loginWindowTitle('about:blank', authority), 'Sign in');
});

test('the system browser gets https, or http on loopback, without credentials', () => {
  assert.ok(isExternalBrowserUrl('https://microsoft.com/devicelogin'));
  assert.ok(isExternalBrowserUrl('http://127.0.0.1:5000/device'));
  assert.ok(isExternalBrowserUrl('http://localhost:5000/device'));
  assert.ok(isExternalBrowserUrl('http://[::1]:5000/device'));
  for (const url of ['http://microsoft.com/devicelogin', 'ms-settings:privacy', 'file:///etc/passwd', 'javascript:alert(1)', 'https://u:p@microsoft.com/', 'not a url']) {
    assert.ok(!isExternalBrowserUrl(url), url);
  }
});
