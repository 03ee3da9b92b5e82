// The sample API's bearer validation against real signed tokens: the hostile-server fixture publishes
// the keys over TLS and signs whatever claims a test asks for, so each time rule is tried on its own.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHostileOp, type HostileOp } from '../../../testkit/hostile-op.js';
import { ApiAuthError } from '../www-authenticate.js';
import { createTokenValidator, SAMPLE_API_AUDIENCE, SAMPLE_API_SCOPE, type TokenValidator } from '../token-validator.js';

describe('sample API token validation: time claims', () => {
  let op: HostileOp;
  let validator: TokenValidator;
  before(async () => {
    op = await startHostileOp();
    validator = createTokenValidator({ idpUrl: op.origin, caCertPem: op.caCertPem, tenantId: op.tenantId, clockToleranceSeconds: 30 });
  });
  after(() => op?.stop());

  const now = () => Math.floor(Date.now() / 1000);
  const need = { kind: 'scope', scope: SAMPLE_API_SCOPE } as const;
  async function outcome(claims: Record<string, unknown>): Promise<string> {
    const token = await op.signIdToken({ iss: op.issuer(), aud: SAMPLE_API_AUDIENCE, sub: 's', scp: 'access_as_user', exp: now() + 3600, ...claims });
    try {
      await validator.validate(`Bearer ${token}`, need);
      return 'ok';
    } catch (err) {
      if (err instanceof ApiAuthError) return `${err.status} ${err.code}: ${err.description}`;
      throw err;
    }
  }

  it('a token issued now, or within the clock skew ahead, is accepted', async () => {
    assert.equal(await outcome({ iat: now() }), 'ok');
    assert.equal(await outcome({ iat: now() + 20 }), 'ok');
  });

  it('an iat a year in the future is refused like an nbf would be', async () => {
    const year = 365 * 24 * 3600;
    assert.match(await outcome({ iat: now() + year, exp: now() + year + 3600 }), /^401 invalid_token: The token was issued in the future\.$/);
    assert.match(await outcome({ iat: now() + 120 }), /^401 invalid_token/);
    assert.match(await outcome({ iat: now(), nbf: now() + year }), /^401 invalid_token: The token's nbf claim is not valid\.$/);
  });
});
