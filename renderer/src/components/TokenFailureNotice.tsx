import { describeTokenFailure, type TokenFailure } from '../token-failure.js';
import { ErrorDetails } from './ErrorDetails.js';

export const TOKEN_FAILURE_ID = 'token-failure-heading';

/** Beside the token table: what happened to which API, "Ask again", details behind a disclosure. */
export function TokenFailureNotice({ failure, onAskAgain, onDismiss }: { failure: TokenFailure; onAskAgain: () => void; onDismiss: () => void }) {
  const { headline, action } = describeTokenFailure(failure);
  return (
    <div className="token-failure" role="alert">
      <p className="banner-message" id={TOKEN_FAILURE_ID} tabIndex={-1}>
        {headline}
      </p>
      <p>{action}</p>
      <div className="button-row">
        <button type="button" className="button-primary" onClick={onAskAgain}>
          Ask again
        </button>
        <button type="button" className="button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ErrorDetails error={failure.error} full />
    </div>
  );
}
