// The active account's tokens: every cached access token in a table that follows the cache live
// (tokensChanged), the refresh token's status, "Get a token for…", a consent failure framed as
// what happened to that API, and the last response's details. The raw tokens never reach this code.
import { useCallback, useEffect, useState } from 'react';
import type { AccountView, ConfigSummary, SampleApiResult, TokenTableView, TokenView } from '../../../shared/views.js';
import { useAuthApp } from '../auth-app.js';
import { useStore } from '../use-app-store.js';
import type { TokenFailure } from '../token-failure.js';
import { ApiResult } from './ApiResult.js';
import { GET_TOKEN_SUBMIT_ID, GetTokenForm, type TokenRequestChoice } from './GetTokenForm.js';
import { LastTokenDetails } from './LastTokenDetails.js';
import { RefreshTokenStatus } from './RefreshTokenStatus.js';
import { TOKEN_FAILURE_ID, TokenFailureNotice } from './TokenFailureNotice.js';
import { TokenTable } from './TokenTable.js';

interface Props {
  account: AccountView;
  config: ConfigSummary;
  table: TokenTableView | null;
  offline: boolean;
}

export function TokenPanel({ account, config, table, offline }: Props) {
  const api = useAuthApp();
  const { call, attempt, report, dispatch } = useStore();
  const [lastToken, setLastToken] = useState<TokenView | null>(null);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<TokenFailure | null>(null);
  const [apiResult, setApiResult] = useState<SampleApiResult | null>(null);
  const homeAccountId = account.homeAccountId;

  useEffect(() => {
    // The table from the cache first (no network), then the sign-in scopes' token, silently.
    void call(api.listTokens({ homeAccountId })).then((t) => t && dispatch({ type: 'tokens', table: t }));
    void call(api.getToken({ homeAccountId, scopes: config.signInScopes })).then((t) => t && setLastToken(t));
  }, [api, call, dispatch, homeAccountId, config.signInScopes]);

  const getTokenFor = async (choice: TokenRequestChoice) => {
    setBusy(true);
    setFailure(null);
    const result = await attempt(api.getToken({ homeAccountId, scopes: choice.scopes, allowInteraction: true }));
    setBusy(false);
    if (result.ok) {
      setLastToken(result.value);
      dispatch({ type: 'status', text: `Token for ${choice.target} ready`, announce: true });
      dispatch({ type: 'focus', id: 'token-heading' });
    } else if (result.error.kind === 'cancelled') {
      dispatch({ type: 'status', text: `No token for ${choice.target}: the sign-in window was closed. Nothing changed.`, announce: true });
      dispatch({ type: 'focus', id: GET_TOKEN_SUBMIT_ID });
    } else if (result.error.kind === 'network' || result.error.kind === 'internal' || result.error.kind === 'persistence') {
      report(result.error);
      dispatch({ type: 'focus', id: GET_TOKEN_SUBMIT_ID });
    } else {
      setFailure({ ...choice, error: result.error });
      dispatch({ type: 'focus', id: TOKEN_FAILURE_ID });
    }
  };

  const refresh = useCallback(
    async (scopes: string[], forceRefresh: boolean) => {
      const token = await call(api.getToken({ homeAccountId, scopes, forceRefresh }));
      if (token) setLastToken(token);
    },
    [api, call, homeAccountId],
  );
  const copy = async (scopes: string[], label: string) => {
    const result = await call(api.copyAccessToken({ homeAccountId, scopes }));
    if (result?.copied) dispatch({ type: 'status', text: `Access token for ${label} copied to the clipboard`, announce: true });
  };
  const callApi = async () => {
    const result = await call(api.callSampleApi({ homeAccountId, endpoint: 'obo' }));
    if (result) setApiResult(result);
  };

  return (
    <section className="panel token-panel" aria-labelledby="token-heading" aria-busy={busy}>
      <div className="panel-heading">
        <h2 id="token-heading" tabIndex={-1}>
          Tokens <span className="visually-hidden">for {account.name || account.username}</span>
        </h2>
        <span className="token-account ellipsis" title={account.username} aria-hidden="true">
          {account.name || account.username}
        </span>
      </div>
      <TokenTable table={table} offline={offline} busy={busy} onRefresh={refresh} onCopy={copy} onCallApi={callApi} />
      {table && <RefreshTokenStatus status={table.refreshToken} />}
      <GetTokenForm config={config} busy={busy} onSubmit={(choice) => void getTokenFor(choice)} />
      {failure && (
        <TokenFailureNotice
          failure={failure}
          onAskAgain={() => void getTokenFor(failure)}
          onDismiss={() => {
            setFailure(null);
            dispatch({ type: 'focus', id: GET_TOKEN_SUBMIT_ID });
          }}
        />
      )}
      {apiResult && <ApiResult result={apiResult} />}
      {lastToken && <LastTokenDetails token={lastToken} />}
    </section>
  );
}
