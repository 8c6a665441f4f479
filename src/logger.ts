import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { LogFormat, LogLevel } from './config';

/** What a log line says besides its message: names and counts, never a value a record or a request carried. */
export type LogFields = Record<string, unknown>;

interface LogMethod {
  (fields: LogFields, message: string): void;
  (message: string): void;
}

/**
 * The hub's logger: JSON lines (pino) on stderr, one object per event, with the component's
 * bindings (`logger.child({ component: 'sync' })`). Messages are constant text; what varies goes in
 * fields, and an error goes in `err` (serialized by `errorFields`), so nothing personal is ever
 * interpolated into a line.
 */
export interface Logger {
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  child(bindings: LogFields): Logger;
}

/** A destination of log lines (tests collect them); each gets the lines at or above its level. */
export interface LogDestination {
  level: LogLevel;
  write(line: string): void;
}

/**
 * Keys whose values are personal wherever they appear (records' fields, GraphQL variables, quarantined
 * raw content), censored at the top level and one level down. Defence in depth: no log call should
 * pass them at all (a test scans the log of a whole test run for the world's plates and ID numbers).
 */
const PERSONAL_KEYS = [
  'plate',
  'plateNumber',
  'vehiclePlateNumber',
  'idNumber',
  'partyIdNumber',
  'residentId',
  'name',
  'legalRepresentative',
  'phone',
  'address',
  'variables',
  'raw',
  'authorization',
];
const REDACT_PATHS = PERSONAL_KEYS.flatMap((key) => [key, `*.${key}`]);

// CJK runs (names, addresses, a plate's province and what follows it), 18-digit resident ID
// numbers, mobile numbers.
const PERSONAL_TEXT = [/[\u3400-\u9fff\uf900-\ufaff]+[0-9A-Za-z]*/g, /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g, /(?<!\d)1[3-9]\d{9}(?!\d)/g];

/**
 * Text the hub did not write (a driver's error message or stack, a database server's output) with
 * what looks personal replaced: such text quotes the value that failed.
 */
export function scrub(text: string): string {
  return PERSONAL_TEXT.reduce((out, pattern) => out.replace(pattern, '[redacted]'), text);
}

/**
 * How an error is logged: its class, code, message and stack (scrubbed of personal-looking text),
 * and its cause. Not its other properties: a driver's error carries the failing row or statement
 * parameters (`detail`, `parameters`), a hub error its caller-facing details.
 */
export function errorFields(error: unknown, depth = 0): LogFields {
  if (!(error instanceof Error)) return { type: typeof error, message: scrub(String(error)) };
  const code = (error as { code?: unknown }).code;
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: scrub(error.message),
    ...(error.stack ? { stack: scrub(error.stack) } : {}),
    ...(error.cause !== undefined && depth < 3 ? { cause: errorFields(error.cause, depth + 1) } : {}),
  };
}

/** pino-pretty, a development dependency: `LOG_FORMAT=pretty` is refused at start when it is not installed (config.ts). */
function prettyStream(): NodeJS.WritableStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof PinoPretty;
  return pretty({ destination: 2, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
}

/** Where a logger writes: stderr at a level, as JSON lines or for humans; or given destinations (tests), each at its own level. */
export type LoggerSettings = { level: LogLevel; format?: LogFormat } | { destinations: readonly LogDestination[] };

export function createLogger(settings: LoggerSettings): Logger {
  const pretty = 'format' in settings && settings.format === 'pretty';
  const options: pino.LoggerOptions = {
    level: 'destinations' in settings ? lowest(settings.destinations.map((d) => d.level)) : settings.level,
    timestamp: pino.stdTimeFunctions.isoTime,
    // pino-pretty reads pino's numeric levels.
    formatters: pretty ? {} : { level: (label) => ({ level: label }) },
    serializers: { err: errorFields },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if ('destinations' in settings) {
    const streams = settings.destinations.map((d) => ({ level: d.level, stream: { write: (line: string) => d.write(line.trimEnd()) } }));
    return pino(options, pino.multistream(streams));
  }
  // Synchronous: a line written just before the process exits (a failed start, a signal) is not lost.
  return pino(options, pretty ? prettyStream() : pino.destination({ dest: 2, sync: true }));
}

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

function lowest(levels: readonly LogLevel[]): LogLevel {
  return levels.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), 'error');
}

/** A logger that writes nothing (defaults of functions whose callers may not care). */
export function silentLogger(): Logger {
  return pino({ enabled: false });
}

/** The logger an entry point's configuration asks for (`LOG_LEVEL`, `LOG_FORMAT`). */
export function configuredLogger(config: { logLevel: LogLevel; logFormat: LogFormat }): Logger {
  return createLogger({ level: config.logLevel, format: config.logFormat });
}

/**
 * A warning that may repeat in a tight loop (a queue worker whose store refuses it retries at
 * once): the first is logged, then at most one per `everyMs` saying how many were held back, so
 * an outage cannot fill the disk with the same line.
 */
export function repeatedWarning(log: Logger, message: string, everyMs = 30_000): (fields: LogFields) => void {
  let last = -Infinity;
  let heldBack = 0;
  return (fields) => {
    const now = Date.now();
    if (now - last < everyMs) {
      heldBack++;
      return;
    }
    log.warn(heldBack ? { ...fields, repeated: heldBack } : fields, message);
    last = now;
    heldBack = 0;
  };
}
