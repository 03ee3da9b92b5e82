import type { ConfigSummary } from '../../../shared/views.js';
import { ConfiguredFor } from './ConfiguredFor.js';

/** No account yet: what the app will do, and which authority and client it is set up for. */
export function EmptyTokenPanel({ config }: { config: ConfigSummary }) {
  return (
    <section className="panel token-panel empty" aria-labelledby="token-heading">
      <h2 id="token-heading" tabIndex={-1}>
        Tokens
      </h2>
      <p>Sign in to see the tokens this app gets for you.</p>
      <ConfiguredFor config={config} />
    </section>
  );
}
