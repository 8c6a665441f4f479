import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { projectRoot } from '../../src/config';
import type { WorldOptions } from '../../src/demo/world';
import { createLogger, type Logger } from '../../src/logger';

/**
 * The log of the whole test run: every line any test's hub or worker logs, at debug, from every
 * jest worker. Emptied by global-setup.ts and scanned for the worlds' personal data by
 * global-teardown.ts, which fails the run if it finds any.
 */
export const RUN_LOG = path.join(projectRoot, 'test/.output/run.log');

/** A log line as tests read it. */
export interface LoggedEntry {
  level: string;
  msg: string;
  err?: { type: string; message: string; code?: string | number; stack?: string };
  [field: string]: unknown;
}

let runLog: number | null = null;

/** Appends lines to the run log (whole lines, O_APPEND: jest workers write side by side). */
export function appendToRunLog(text: string): void {
  if (runLog === null) {
    fs.mkdirSync(path.dirname(RUN_LOG), { recursive: true });
    runLog = fs.openSync(RUN_LOG, 'a');
  }
  fs.writeSync(runLog, text.endsWith('\n') ? text : `${text}\n`);
}

/** What the run log's line naming a world says (`announceWorld`). */
export const TEST_WORLD_MESSAGE = 'test world';

/**
 * Names a world whose data the run's hubs, workers or simulators hold, so that the scan at the end
 * of the run looks for its plates, ID numbers, phones and names exactly (besides any plate- or
 * ID-shaped text).
 */
export function announceWorld(world: WorldOptions): void {
  appendToRunLog(JSON.stringify({ msg: TEST_WORLD_MESSAGE, world }));
}

/** Appends the lines a spawned hub or worker logs (its stderr) to the run log, line by line. */
export function runLogOf(stderr: Readable): void {
  readline.createInterface({ input: stderr }).on('line', appendToRunLog);
}

export interface TestLogger {
  logger: Logger;
  /** Errors logged, parsed: tests assert that nothing failed unnoticed, or that a failure was reported. */
  logged: LoggedEntry[];
  /** Every line logged (debug and up), as written. */
  lines: string[];
}

/** A logger for a test's hub or worker: every line to the run log and `lines`, errors to `logged` as well. */
export function testLogger(): TestLogger {
  const logged: LoggedEntry[] = [];
  const lines: string[] = [];
  const logger = createLogger({
    destinations: [
      {
        level: 'debug',
        write: (line) => {
          lines.push(line);
          appendToRunLog(line);
        },
      },
      { level: 'error', write: (line) => logged.push(JSON.parse(line) as LoggedEntry) },
    ],
  });
  return { logger, logged, lines };
}
