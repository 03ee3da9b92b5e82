// The engine logs through this interface only. Every line passes through `redactText` first, and the
// engine itself never hands a token to the logger, so a sink (file, console, UI) cannot leak one.
import { redactText } from './errors.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'verbose';

export interface Logger {
  log(level: LogLevel, message: string, context?: Record<string, string | number | boolean | undefined>): void;
}

export const silentLogger: Logger = { log() {} };

/** Wraps a caller's logger so messages and context values are redacted before they reach it. */
export function redacting(inner: Logger | undefined): Logger {
  if (!inner) return silentLogger;
  return {
    log(level, message, context) {
      const clean: Record<string, string | number | boolean | undefined> = {};
      for (const [k, v] of Object.entries(context ?? {})) clean[k] = typeof v === 'string' ? redactText(v) : v;
      try {
        inner.log(level, redactText(message), clean);
      } catch {
        // a broken sink must never break sign-in
      }
    },
  };
}
