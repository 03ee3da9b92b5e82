import type { TokenView } from '../../../shared/views.js';
import { ClaimsTable } from './ClaimsTable.js';

/** The last token response in detail, collapsed: the masked access token and the ID token's claims. */
export function LastTokenDetails({ token }: { token: TokenView }) {
  return (
    <details className="last-token">
      <summary>ID token claims and the last access token</summary>
      <dl className="facts">
        <dt>Access token</dt>
        <dd>
          <code className="masked">{token.accessTokenMasked}</code>
        </dd>
      </dl>
      <p className="note">Access tokens are opaque to this app: it never reads them, only the API they are meant for does.</p>
      <ClaimsTable claims={token.idTokenClaims} />
    </details>
  );
}
