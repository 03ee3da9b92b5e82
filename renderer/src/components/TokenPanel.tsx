// The active account's token: scopes, expiry, where it came from, the ID token's claims, and actions
// (another API's token, force refresh, copy, call the sample API). The raw access token never
// reaches this code; copying it is main's job.
import { useCallback, useEffect, useState } from 'react';
import { parseScopeInput } from '../../../shared/scope-chips.js';
import type { AccountView, ConfigSummary, SampleApiResult, TokenSource, TokenView } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { ClaimsTable } from './ClaimsTable.js';
import { ExpiryCountdown } from './ExpiryCountdown.js';
import { ScopeChips } from './ScopeChips.js';
import type { Call } from './types.js';

const SOURCE_TEXT: Record<TokenSource, string> = {
  cache: 'Came silently, from the token cache',
  refresh: 'Came silently, using the refresh token',
  interactive: 'Needed you: interactive sign-in or consent',
  device_code: 'Needed you: device code sign-in',
  iwa: 'Came silently, through Windows / Kerberos sign-in',
  password: 'Username and password (not recommended)',
};

const CUSTOM = '__custom__';

interface Props {
  account: AccountView;
  config: ConfigSummary;
  call: Call;
}

export function TokenPanel({ account, config, call }: Props) {
  const api = useAuthApp();
  const [token, setToken] = useState<TokenView | null>(null);
  const [scopes, setScopes] = useState<string[]>(config.signInScopes);
  const [busy, setBusy] = useState(false);
  const [choice, setChoice] = useState(config.apis[0]?.id ?? CUSTOM);
  const [customScopes, setCustomScopes] = useState('');
  const [notice, setNotice] = useState('');
  const [apiResult, setApiResult] = useState<SampleApiResult | null>(null);

  const fetchToken = useCallback(
    async (request: { scopes: string[]; forceRefresh?: boolean; allowInteraction?: boolean }) => {
      setBusy(true);
      const result = await call(api.getToken({ homeAccountId: account.homeAccountId, ...request }));
      setBusy(false);
      if (result) {
        setToken(result);
        setScopes(request.scopes);
      }
      return result;
    },
    [api, call, account.homeAccountId],
  );

  useEffect(() => {
    void fetchToken({ scopes: config.signInScopes });
  }, [fetchToken, config.signInScopes]);

  const chosenScopes = choice === CUSTOM ? parseScopeInput(customScopes) : (config.apis.find((a) => a.id === choice)?.scopes ?? []);

  const getTokenFor = async () => {
    const result = await fetchToken({ scopes: chosenScopes, allowInteraction: true });
    if (result) setNotice(SOURCE_TEXT[result.source]);
  };
  const forceRefresh = async () => {
    const result = await fetchToken({ scopes, forceRefresh: true });
    if (result) setNotice('Refreshed: a new access token was fetched from the identity provider.');
  };
  const copy = async () => {
    const result = await call(api.copyAccessToken({ homeAccountId: account.homeAccountId, scopes }));
    if (result?.copied) setNotice('Access token copied to the clipboard.');
  };
  const callSampleApi = async () => {
    const result = await call(api.callSampleApi({ homeAccountId: account.homeAccountId, endpoint: 'obo' }));
    if (result) setApiResult(result);
  };
  const onDue = useCallback(() => void fetchToken({ scopes }), [fetchToken, scopes]);

  return (
    <section className="panel token-panel" aria-labelledby="token-heading" aria-busy={busy}>
      <h2 id="token-heading">Token for {account.name || account.username}</h2>
      {!token ? (
        <p className="muted" role="status">{busy ? 'Getting a token…' : 'No token yet.'}</p>
      ) : (
        <>
          <div className="token-facts">
            <div>
              <h3>Requested vs granted</h3>
              <ScopeChips requested={token.requestedScopes} granted={token.grantedScopes} />
            </div>
            <ExpiryCountdown key={`${token.expiresOn}`} expiresOn={token.expiresOn} refreshOn={token.refreshOn} acquiredOn={token.acquiredOn} onDue={onDue} />
            <dl className="facts">
              <dt>Source</dt>
              <dd>
                <code>{token.source}</code> — {SOURCE_TEXT[token.source]}
              </dd>
              <dt>From cache</dt>
              <dd>{token.fromCache ? 'Yes' : 'No'}</dd>
              <dt>Access token</dt>
              <dd>
                <code className="masked">{token.accessTokenMasked}</code>
              </dd>
            </dl>
            <p className="note">Access tokens are opaque to this app: it never reads them, only the API they are meant for does.</p>
          </div>
          <div className="button-row">
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void forceRefresh()}>
              Force refresh
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={() => void copy()}>
              Copy access token
            </button>
            {config.sampleApiUrl && (
              <button type="button" className="button-secondary" disabled={busy} onClick={() => void callSampleApi()}>
                Call sample API
              </button>
            )}
          </div>
        </>
      )}
      <form
        className="get-token-for"
        onSubmit={(e) => {
          e.preventDefault();
          void getTokenFor();
        }}
      >
        <label htmlFor="token-for">Get token for…</label>
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
        <button type="submit" className="button-secondary" disabled={busy || chosenScopes.length === 0}>
          Get token
        </button>
      </form>
      <p className="token-notice" role="status">{notice}</p>
      {apiResult && (
        <div className="api-result">
          <h3>
            Sample API answered <code>{apiResult.status}</code>
          </h3>
          <pre>{JSON.stringify(apiResult.body, null, 2)}</pre>
        </div>
      )}
      {token && <ClaimsTable claims={token.idTokenClaims} />}
    </section>
  );
}
