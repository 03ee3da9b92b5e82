import type { ErrorBanner } from '../app-store.js';
import { ErrorDetails } from './ErrorDetails.js';

/** Readable errors: what happened and what to do; the codes a support person would ask for behind a disclosure. */
export function ErrorBanners({ errors, onDismiss }: { errors: ErrorBanner[]; onDismiss: (id: number) => void }) {
  if (errors.length === 0) return null;
  return (
    <div className="banners">
      {errors.map(({ id, error }) => (
        <div key={id} className="banner banner-error" role="alert">
          <div className="banner-text">
            <p className="banner-message">{error.message}</p>
            <p className="banner-action">{error.suggestedAction}</p>
            <ErrorDetails error={error} />
          </div>
          <button type="button" className="button-quiet" onClick={() => onDismiss(id)} aria-label={`Dismiss: ${error.message}`}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
