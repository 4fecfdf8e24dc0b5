// The relay's structured log: pino, one JSON object per line on stdout, with a level, the
// request id of an HTTP request (`reqId`) or the connection id of a sync socket (`conn`).
// What may be logged: ids (users, clients, connections, requests), routes as their patterns,
// status and close codes, counts, durations, error messages and stacks. Never message content,
// request bodies, query strings, headers or tokens: the redaction below is a safety net for a
// mistake, not a licence to pass such objects in.
import { pino, type Level, type Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';

function isLevel(v: string | undefined): v is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(v ?? '');
}

/** `PARLEY_LOG_LEVEL` when it names a level, else `fallback`. */
export function levelFromEnv(fallback: LogLevel = 'info'): LogLevel {
  const v = process.env.PARLEY_LOG_LEVEL?.toLowerCase();
  return isLevel(v) ? v : fallback;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** where the lines go (default stdout); tests pass a stream to read them */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      level: opts.level ?? levelFromEnv(),
      base: { service: 'parley-relay', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['authorization', 'token', 'accessToken', 'refreshToken', 'password', 'body', 'headers', '*.authorization', '*.token', '*.accessToken', '*.refreshToken', '*.password', '*.body', '*.headers'],
        censor: '[redacted]',
      },
    },
    opts.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/** The relay's parts report failures as `(message, error)`: structured, at level error. */
export type ErrorLog = (msg: string, err?: unknown) => void;

export function errorLog(logger: Logger): ErrorLog {
  return (msg, err) => (err === undefined ? logger.error(msg) : logger.error({ err }, msg));
}
