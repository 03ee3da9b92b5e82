import type { StatusMessage } from '../app-store.js';

/**
 * What just happened, in one line near the header (a cancelled sign-in, an automatic refresh), so
 * feedback is not only in the log below the fold. Only messages marked `announce` go to the polite
 * live region: a silent refresh is shown but not read out every time.
 */
export function StatusLine({ status }: { status: StatusMessage | null }) {
  return (
    <>
      <p className="status-line" aria-hidden={status ? undefined : true}>
        {status?.text ?? ''}
      </p>
      <div className="visually-hidden" role="status" aria-live="polite">
        {status?.announce ? status.text : ''}
      </div>
    </>
  );
}
