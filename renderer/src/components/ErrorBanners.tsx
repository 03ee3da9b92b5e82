import type { ErrorBanner } from '../app-store.js';

/** Readable errors: what happened, what to do, and the codes a support person would ask for. */
export function ErrorBanners({ errors, onDismiss }: { errors: ErrorBanner[]; onDismiss: (id: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="banners">
      {errors.map(({ id, error }) => (
        <div key={id} className="banner banner-error" role="alert">
          <div className="banner-text">
            <p className="banner-message">{error.message}</p>
            <p className="banner-action">{error.suggestedAction}</p>
            <p className="banner-codes">
              <span>Code: <code>{error.serverCode ?? error.code}</code></span>
              {error.serverCode && error.serverCode !== error.code && <span> ({error.code})</span>}
              {error.correlationId && <span> · Correlation ID: <code>{error.correlationId}</code></span>}
            </p>
          </div>
          <button type="button" className="button-quiet" onClick={() => onDismiss(id)} aria-label={`Dismiss: ${error.message}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
