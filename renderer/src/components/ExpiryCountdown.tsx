// Live countdown to the token's expiry with a progress bar, and the moment the app will refresh it.
// When the countdown passes refreshOn or expiry, `onDue` runs once for that moment so the panel can
// ask for the token again (the engine then refreshes silently).
import { useEffect, useRef } from 'react';
import { describeDuration, formatClockTime, formatCountdown, lifetimeFractionLeft } from '../../../shared/countdown.js';
import { useNow } from '../clock.js';

interface Props {
  /** What the token is for, naming its progress bar ("Sample API token lifetime left"). */
  label?: string;
  expiresOn: number;
  refreshOn?: number;
  acquiredOn?: number;
  onDue: (reason: 'refreshOn' | 'expired') => void;
}

export function ExpiryCountdown({ label, expiresOn, refreshOn, acquiredOn, onDue }: Props) {
  const now = useNow();
  const firstSeen = useRef(now);
  const fired = useRef(new Set<string>());
  const msLeft = expiresOn - now;
  const fraction = lifetimeFractionLeft(now, expiresOn, acquiredOn);

  useEffect(() => {
    // Only moments still ahead when this token arrived count: a token handed over already past its
    // refreshOn (the engine is refreshing it in the background) must not trigger a request loop.
    const due: [string, number, 'refreshOn' | 'expired'][] = [];
    if (refreshOn !== undefined && refreshOn > firstSeen.current) due.push([`r${refreshOn}`, refreshOn, 'refreshOn']);
    if (expiresOn > firstSeen.current) due.push([`e${expiresOn}`, expiresOn, 'expired']);
    for (const [key, at, reason] of due) {
      if (now >= at && !fired.current.has(key)) {
        fired.current.add(key);
        onDue(reason);
        break;
      }
    }
  }, [now, expiresOn, refreshOn, onDue]);

  return (
    <div className="expiry">
      <p>
        {msLeft > 0 ? (
          <>
            Expires in <strong className="countdown-value" title={describeDuration(msLeft)}>{formatCountdown(msLeft)}</strong>{' '}
            <span className="muted">(at {formatClockTime(expiresOn)})</span>
          </>
        ) : (
          <strong>Expired at {formatClockTime(expiresOn)}</strong>
        )}
      </p>
      <div
        className={`progress ${fraction < 0.1 ? 'progress-low' : ''}`}
        role="progressbar"
        aria-label={label ? `${label} token lifetime left` : 'Token lifetime left'}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(fraction * 100)}
        aria-valuetext={msLeft > 0 ? `${describeDuration(msLeft)} left` : 'expired'}
      >
        <div className="progress-fill" style={{ width: `${fraction * 100}%` }} />
      </div>
      {refreshOn !== undefined && (
        <p className="muted">
          Refresh due at {formatClockTime(refreshOn)}{now >= refreshOn && msLeft > 0 ? ' (due now)' : ''}
        </p>
      )}
    </div>
  );
}
