import { scopeChips } from '../../../shared/scope-chips.js';

const STATUS_TEXT = { granted: 'granted', 'not-granted': 'requested, not granted', extra: 'granted, not requested' } as const;

/** Requested vs granted scopes; the status is in text too (not colour alone) for screen readers. */
export function ScopeChips({ requested, granted }: { requested: string[]; granted: string[] }) {
  const chips = scopeChips(requested, granted);
  return (
    <ul className="chips" aria-label="Scopes">
      {chips.map((chip) => (
        <li key={chip.scope} className={`chip chip-${chip.status}`} title={chip.resource ? `${chip.scope} (${STATUS_TEXT[chip.status]})` : STATUS_TEXT[chip.status]}>
          {chip.label}
          <span className="visually-hidden"> ({STATUS_TEXT[chip.status]})</span>
          {chip.status === 'not-granted' && <span aria-hidden="true"> ✗</span>}
          {chip.status === 'extra' && <span aria-hidden="true"> +</span>}
        </li>
      ))}
    </ul>
  );
}
