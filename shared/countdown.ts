// Time left until a token expires (or a device code lapses), for a live countdown and a progress bar.

/** "59:59", "1:02:03", "expired". Rounds up so "0:00" is shown only at the very end. */
export function formatCountdown(msLeft: number): string {
  if (msLeft <= 0) return 'expired';
  const total = Math.ceil(msLeft / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** Screen-reader friendly: "about 4 minutes", "12 seconds". */
export function describeDuration(ms: number): string {
  if (ms <= 0) return 'no time';
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(minutes / 60);
  return `about ${hours} hour${hours === 1 ? '' : 's'}`;
}

/** Fraction of lifetime left, 0..1, for a progress bar. Unknown start → relative to one hour. */
export function lifetimeFractionLeft(now: number, expiresOn: number, acquiredOn?: number): number {
  const start = acquiredOn ?? expiresOn - 3600_000;
  const lifetime = expiresOn - start;
  if (lifetime <= 0) return 0;
  return Math.min(1, Math.max(0, (expiresOn - now) / lifetime));
}

/** "14:05:09": the app's one time format (24-hour, for every absolute time it shows). */
export function formatClockTime(epochMs: number, locale?: string): string {
  return new Date(epochMs).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}
