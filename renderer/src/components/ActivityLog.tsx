import type { ActivityEntry } from '../../../shared/views.js';

const OUTCOME = { success: '✓', failure: '✗', cancelled: '–', info: 'ℹ' } as const;
const FLOW = { silent: 'silent', iwa: 'Windows/Kerberos', window: 'sign-in window', 'device-code': 'device code', refresh: 'refresh' } as const;

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What the auth layer did, newest first: which flow, how it ended, how long it took. */
export function ActivityLog({ entries }: { entries: ActivityEntry[] }) {
  return (
    <section className="panel activity" aria-labelledby="activity-heading">
      <h2 id="activity-heading">Activity</h2>
      {entries.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="activity-list" role="log" aria-live="polite">
          {entries.map((e) => (
            <li key={e.id} className={`activity-entry outcome-${e.outcome}`}>
              <time dateTime={new Date(e.at).toISOString()}>{new Date(e.at).toLocaleTimeString()}</time>
              <span className="activity-outcome" aria-label={e.outcome}>{OUTCOME[e.outcome]}</span>
              <span className="activity-message">{e.message}</span>
              {e.flow && <span className="activity-flow">{FLOW[e.flow]}</span>}
              {e.durationMs !== undefined && <span className="activity-duration">{formatDuration(e.durationMs)}</span>}
              {e.errorCode && <code className="activity-code">{e.errorCode}</code>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
