// The error model is checked by the compiler: `npm run typecheck` compiles this file, and each
// `@ts-expect-error` below fails the build if the line it marks were accepted (an unknown code, an IdP
// code written as a plain string). At run time: every code in the tables is listed in the README, and
// codes are unique within a table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CachePersistenceError,
  ClientAuthError,
  ClientAuthErrorCode,
  ERROR_CODE_TABLES,
  InteractionRequiredAuthError,
  NetworkError,
  ServerError,
  TimeoutError,
  type ErrorCode,
} from '../errors.js';
import { idpCode } from '../protocol-errors.js';

// Never called: these lines exist for the type checker only.
function typeLevelChecks(): void {
  // @ts-expect-error an unknown code is a type error
  new ClientAuthError('not_a_code', 'x');
  // @ts-expect-error a NetworkError code is not a ClientAuthError code
  new ClientAuthError('proxy_refused', 'x');
  // @ts-expect-error a ClientAuthError code is not a NetworkError code
  new NetworkError(ClientAuthErrorCode.invalidJson, 'x');
  // @ts-expect-error an IdP code written inline must go through idpCode()
  new ServerError('invalid_grant', 'x');
  // @ts-expect-error ... for InteractionRequiredAuthError too
  new InteractionRequiredAuthError('consent_required', 'x');
  // @ts-expect-error persistence codes come from their table
  new CachePersistenceError('keychain_broken', 'x');
  // @ts-expect-error TimeoutError has two codes only
  new TimeoutError('x', { code: 'slow' });
  // @ts-expect-error ErrorCode is a closed union
  const unknown: ErrorCode = 'not_a_code';
  // The accepted forms, for contrast.
  new ClientAuthError(ClientAuthErrorCode.invalidJson, 'x');
  new ClientAuthError('state_mismatch', 'x');
  new ServerError(idpCode('invalid_grant'), 'x');
  new ServerError('throttled', 'x');
  new InteractionRequiredAuthError('no_tokens_found', 'x');
  void unknown;
}
void typeLevelChecks;

const README = readFileSync(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');

test('electron/core/README.md lists every code from the tables', () => {
  const missing = Object.values(ERROR_CODE_TABLES)
    .flatMap((table) => Object.values(table) as string[])
    .filter((code) => !README.includes(`\`${code}\``));
  assert.deepEqual(missing, []);
});

test('codes are unique within each table', () => {
  for (const [name, table] of Object.entries(ERROR_CODE_TABLES)) {
    const codes = Object.values(table) as string[];
    assert.equal(new Set(codes).size, codes.length, name);
  }
});
