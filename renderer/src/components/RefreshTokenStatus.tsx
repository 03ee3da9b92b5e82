import { formatClockTime } from '../../../shared/countdown.js';
import type { RefreshTokenStatus as Status } from '../../../shared/views.js';

/** Whether the account has a refresh token, when the app last got one, for which client and family: never its value. */
export function RefreshTokenStatus({ status }: { status: Status }) {
  return (
    <p className="refresh-token-status">
      <strong>Refresh token:</strong>{' '}
      {status.present ? (
        <>
          present{status.clientId && <> for client <code>{status.clientId}</code></>}
          {status.familyId && <> (family <code>{status.familyId}</code>)</>}
          {status.issuedOn !== undefined ? `, last received at ${formatClockTime(status.issuedOn)}` : ', received before this session'}. Its value never leaves the main process.
        </>
      ) : (
        'none in the cache — getting a token for another API will need you to sign in.'
      )}
    </p>
  );
}
