import type { TokenTableView } from '../../../shared/views.js';
import { TokenRow, type RowActions } from './TokenRow.js';

/** Every access token the cache holds for the account, one row each (cards that reflow on narrow windows). */
export function TokenTable({ table, ...actions }: { table: TokenTableView | null; offline: boolean; busy: boolean } & RowActions) {
  if (!table) return <p className="muted" role="status">Reading the token cache…</p>;
  if (table.tokens.length === 0) return <p className="muted">No access tokens in the cache yet.</p>;
  return (
    <ul className="token-table" aria-label="Cached access tokens">
      {table.tokens.map((row) => (
        <TokenRow key={row.id} row={row} {...actions} />
      ))}
    </ul>
  );
}
