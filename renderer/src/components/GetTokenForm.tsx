// "Get a token for…": a configured API or scopes typed by the user.
import { useState } from 'react';
import { parseScopeInput } from '../../../shared/scope-chips.js';
import type { ConfigSummary } from '../../../shared/views.js';

const CUSTOM = '__custom__';
export const GET_TOKEN_SUBMIT_ID = 'get-token-submit';

export interface TokenRequestChoice {
  scopes: string[];
  /** The API's label, or the typed scopes. */
  target: string;
  custom: boolean;
}

export function GetTokenForm({ config, busy, onSubmit }: { config: ConfigSummary; busy: boolean; onSubmit: (choice: TokenRequestChoice) => void }) {
  const [choice, setChoice] = useState(config.apis[0]?.id ?? CUSTOM);
  const [customScopes, setCustomScopes] = useState('');
  const api = config.apis.find((a) => a.id === choice);
  const scopes = choice === CUSTOM ? parseScopeInput(customScopes) : (api?.scopes ?? []);

  return (
    <form
      className="get-token-for"
      onSubmit={(e) => {
        e.preventDefault();
        if (scopes.length > 0) onSubmit({ scopes, target: api?.label ?? scopes.join(' '), custom: choice === CUSTOM });
      }}
    >
      <label htmlFor="token-for">Get a token for</label>
      <select id="token-for" value={choice} onChange={(e) => setChoice(e.target.value)}>
        {config.apis.map((a) => (
          <option key={a.id} value={a.id}>
            {a.label}
          </option>
        ))}
        <option value={CUSTOM}>Other scopes…</option>
      </select>
      {choice === CUSTOM && (
        <input aria-label="Scopes (space separated)" placeholder="api://example/Read" value={customScopes} onChange={(e) => setCustomScopes(e.target.value)} />
      )}
      <button type="submit" id={GET_TOKEN_SUBMIT_ID} className="button-secondary" disabled={busy || scopes.length === 0}>
        Get token
      </button>
    </form>
  );
}
