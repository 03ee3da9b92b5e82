import type { ErrorView } from '../../../shared/views.js';

/** Codes and the correlation ID, collapsed: for support, not for the headline. */
export function ErrorDetails({ error, full = false }: { error: ErrorView; full?: boolean }) {
  return (
    <details className="error-details">
      <summary>Details</summary>
      <dl>
        {full && (
          <>
            <dt>Message</dt>
            <dd>{error.message}</dd>
          </>
        )}
        <dt>Code</dt>
        <dd>
          <code>{error.serverCode ?? error.code}</code>
          {error.serverCode && error.serverCode !== error.code && <> (<code>{error.code}</code>)</>}
        </dd>
        {error.correlationId && (
          <>
            <dt>Correlation ID</dt>
            <dd>
              <code>{error.correlationId}</code>
            </dd>
          </>
        )}
      </dl>
    </details>
  );
}
