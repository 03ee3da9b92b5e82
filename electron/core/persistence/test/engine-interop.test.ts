// The real engine (PublicClientApplication) on the real encrypted persistence and keychain, and the
// encrypted file read and written through @azure/msal-node's own TokenCache. (The JSON-level interop
// with msal-node is in electron/core/test/cache-persistence.test.ts; this one goes through the disk.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PublicClientApplication as MsalPublicClient } from '@azure/msal-node';
import { goodRedirect, scriptedRedirect, startHostileOp, type HostileOp } from '../../../../testkit/hostile-op.js';
import { keyringUnavailable, type KeyringSession } from '../../../../testkit/keyring.js';
import { PublicClientApplication } from '../../index.js';
import type { SerializableTokenCache, TokenCacheContext } from '../../cache/persistence.js';
import { createKeychainPersistence } from '../index.js';
import { uniqueService, useKeyringSession } from './helpers.js';

let op: HostileOp;
let session: KeyringSession;
const skip = keyringUnavailable();
let root: string;
before(async () => {
  if (skip) return;
  root = await mkdtemp(join(tmpdir(), 'engine-interop-'));
  session = await useKeyringSession(join(root, 'home'));
  op = await startHostileOp();
});
after(async () => {
  if (skip) return;
  await op?.stop();
  await session?.stop();
  await rm(root, { recursive: true, force: true });
});

const requests = () => Object.values(op.counts).reduce((a, b) => a + b, 0);
const app = (cachePath: string, serviceName: string) =>
  PublicClientApplication.create({
    auth: { clientId: op.clientId, authority: op.authority() },
    cache: { persistence: createKeychainPersistence({ cachePath, serviceName }) },
    system: { trustedCaPem: op.caCertPem },
  });

/** One access by someone else's cache object (here msal-node's) through our persistence. */
async function through(cachePath: string, serviceName: string, tokenCache: SerializableTokenCache, write: boolean): Promise<void> {
  const p = createKeychainPersistence({ cachePath, serviceName });
  const ctx: TokenCacheContext = { tokenCache, willWrite: write, cacheHasChanged: false };
  await p.beforeCacheAccess(ctx);
  ctx.cacheHasChanged = write;
  await p.afterCacheAccess(ctx);
  assert.deepEqual(p.warnings, []);
}

test('engine + encrypted persistence: sign in, restart, silent from disk with no request, msal-node both ways', { skip }, async () => {
  const serviceName = uniqueService();
  const cachePath = join(root, 'ours', 'msal-cache.bin');
  const first = await app(cachePath, serviceName);
  const signIn = await first.acquireTokenInteractive({ scopes: ['User.Read'], openBrowser: scriptedRedirect(op, goodRedirect) });
  const mail = await first.acquireTokenSilent({ account: signIn.account!, scopes: ['Mail.Read'] });

  const bytes = await readFile(cachePath);
  for (const secret of [signIn.accessToken, mail.accessToken, signIn.idToken, signIn.account!.username, signIn.account!.homeAccountId]) {
    assert.equal(bytes.indexOf(secret), -1, 'nothing in the clear on disk');
  }

  // "Restart": a new application with a new persistence instance finds everything on disk.
  const second = await app(cachePath, serviceName);
  const [account] = await second.getAllAccounts();
  assert.equal(account?.homeAccountId, signIn.account!.homeAccountId);
  op.resetCounts();
  const silent = await second.acquireTokenSilent({ account: account!, scopes: ['Mail.Read'] });
  assert.equal(silent.fromCache, true);
  assert.equal(silent.accessToken, mail.accessToken);
  assert.equal(requests(), 0, 'served from the decrypted cache');

  // msal-node reads our encrypted file (decrypted by our persistence into its TokenCache) ...
  const msal = new MsalPublicClient({ auth: { clientId: op.clientId, authority: op.authority(), knownAuthorities: [new URL(op.origin).host] } });
  await through(cachePath, serviceName, msal.getTokenCache(), false);
  const msalAccounts = await msal.getTokenCache().getAllAccounts();
  assert.deepEqual(msalAccounts.map((a) => [a.homeAccountId, a.username]), [[signIn.account!.homeAccountId, signIn.account!.username]]);
  const theirs = JSON.parse(msal.getTokenCache().serialize());
  const ours = JSON.parse(second.getTokenCache().serialize());
  for (const section of ['Account', 'IdToken', 'AccessToken', 'RefreshToken']) {
    assert.deepEqual(Object.keys(theirs[section]).sort(), Object.keys(ours[section]).sort(), section);
  }
  assert.deepEqual(
    Object.values(theirs.AccessToken).map((t) => (t as { secret: string }).secret).sort(),
    [signIn.accessToken, mail.accessToken].sort(),
  );

  // ... and writes it, encrypted, to another file, which our engine then serves silently.
  const msalPath = join(root, 'theirs', 'msal-cache.bin');
  await through(msalPath, serviceName, msal.getTokenCache(), true);
  const third = await app(msalPath, serviceName);
  const [again] = await third.getAllAccounts();
  op.resetCounts();
  const fromMsal = await third.acquireTokenSilent({ account: again!, scopes: ['User.Read'] });
  assert.equal(fromMsal.accessToken, signIn.accessToken);
  assert.equal(requests(), 0);
});
