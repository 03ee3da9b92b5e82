// What the user is told when the app cannot start: a title and a few lines with the cause and what to
// do, shown by the shell in a native error box (a packaged app has no console anyone reads). Pure, so
// each case is tested; messages name files, fields and ports, never a secret.
import { ConfigError, ConfigFileError } from './config.js';

export interface StartupFailure {
  title: string;
  content: string;
}

const MAX_DETAIL = 500;

function detailOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_DETAIL ? `${message.slice(0, MAX_DETAIL)}…` : message;
}

/** The listen error Node gives when a port is taken (net.Server 'error'), whoever started the server. */
function portInUse(error: unknown): number | null {
  const e = error as { code?: unknown; port?: unknown } | null;
  if (e?.code !== 'EADDRINUSE') return null;
  return typeof e.port === 'number' ? e.port : 0;
}

export function describeStartupFailure(error: unknown): StartupFailure {
  if (error instanceof ConfigFileError) {
    return {
      title: 'The configuration file cannot be read',
      content: `${error.path} is not valid JSON (${detailOf(error.cause)}).\n\nFix or remove the file, then start the app again.`,
    };
  }
  if (error instanceof ConfigError) {
    return {
      title: 'The configuration is not valid',
      content: `${detailOf(error)}.\n\nCorrect "${error.field}" in the configuration file (APP_CONFIG, or config.json in the app's data folder) or in its environment variable, then start the app again.`,
    };
  }
  const port = portInUse(error);
  if (port !== null) {
    return {
      title: 'The local identity provider cannot start',
      content: `Port ${port || '(unknown)'} is already in use on this computer — perhaps by another copy of this app.\n\nQuit the program using it, or set IDP_PORT to a free port, then start the app again.`,
    };
  }
  return {
    title: 'Entra Desktop Sample could not start',
    content: `${detailOf(error)}\n\nStart the app again. If it keeps failing, start it from a terminal (npm start) to see its log.`,
  };
}
