import { formatClockTime } from '../../../shared/countdown.js';
import type { ActivityEntry } from '../../../shared/views.js';

const OUTCOME = { success: '✓', failure: '✗', cancelled: '–', info: 'ℹ' } as const;
const OUTCOME_TEXT = { success: 'succeeded', failure: 'failed', cancelled: 'cancelled', info: 'note' } as const;
const FLOW = { silent: 'silent', iwa: 'Windows/Kerberos', window: 'sign-in window', 'device-code': 'device code', refresh: 'refresh' } as const;

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * What the auth layer did, newest first: which flow, how it ended, how long it took. Collapsed by
 * default and not a live region (the status line and banners say what matters); the scrolling list
 * is focusable so a keyboard can scroll it.
 */
export function ActivityLog({ entries }: { entries: ActivityEntry[] }) {
  return (
    <section className="panel activity" aria-labelledby="activity-heading">
      <details>
        <summary>
          <h2 id="activity-heading">Activity</h2> <span className="muted">({entries.length})</span>
        </summary>
        {entries.length === 0 ? (
          <p className="muted">Nothing yet.</p>
        ) : (
          <div className="activity-scroll" tabIndex={0} role="region" aria-label="Activity entries, newest first">
            <ol className="activity-list">
              {entries.map((e) => (
                <li key={e.id} className={`activity-entry outcome-${e.outcome}`}>
                  <time dateTime={new Date(e.at).toISOString()}>{formatClockTime(e.at)}</time>
                  <span className="activity-outcome" aria-hidden="true">{OUTCOME[e.outcome]}</span>
                  <span className="visually-hidden">{OUTCOME_TEXT[e.outcome]}:</span>
                  <span className="activity-message">{e.message}</span>
                  {e.flow && <span className="activity-flow">{FLOW[e.flow]}</span>}
                  {e.durationMs !== undefined && <span className="activity-duration">{formatDuration(e.durationMs)}</span>}
                  {e.errorCode && <code className="activity-code">{e.errorCode}</code>}
                </li>
              ))}
            </ol>
          </div>
        )}
      </details>
    </section>
  );
}
