import { createLogger, type Logger } from '../../src/logger';

/** A log line as tests read it. */
export interface LoggedEntry {
  level: string;
  msg: string;
  err?: { type: string; message: string; code?: string | number; stack?: string };
  [field: string]: unknown;
}

export interface TestLogger {
  logger: Logger;
  /** Errors logged, parsed: tests assert that nothing failed unnoticed, or that a failure was reported. */
  logged: LoggedEntry[];
  /** Every line logged (debug and up), as written. */
  lines: string[];
}

/** A logger for a test's hub or worker: every line to `lines`, errors to `logged` as well. */
export function testLogger(): TestLogger {
  const logged: LoggedEntry[] = [];
  const lines: string[] = [];
  const logger = createLogger({
    destinations: [
      {
        level: 'debug',
        write: (line) => lines.push(line),
      },
      { level: 'error', write: (line) => logged.push(JSON.parse(line) as LoggedEntry) },
    ],
  });
  return { logger, logged, lines };
}
