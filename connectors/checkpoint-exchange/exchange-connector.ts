import { StringDecoder } from 'node:string_decoder';
import { Pool, type PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { ConfigurationError, TransientError, type Connector, type ConnectorDefinition, type StreamBatch } from '../contract';
import { EXCHANGE_SCHEMA, EXCHANGE_STREAMS } from './exchange-format';
import { mapCaptureRow, mapCheckpointRow, type CaptureRow, type CheckpointRow } from './exchange-mapping';

export interface ExchangeConnectorOptions {
  /** The exchange database (read access to its schema is enough). */
  databaseUrl: string;
  batchSize?: number;
  /**
   * How long a serial skipped over is waited for. The police system takes serials when a
   * transaction starts and commits some late, so a row can appear below serials already read; a
   * serial missing this long was rolled back and is given up.
   */
  gapWaitMs?: number;
}

/** Serials from..to (inclusive) not yet seen, and when they were first found missing (ms). */
type Gap = [from: number, to: number, since: number];

interface CaptureState {
  /** The highest serial read. */
  afterSerial: number;
  /** Serials below it still awaited. */
  gaps?: Gap[];
}

/**
 * The captures cursor `state` with `serials` (already read) awaited again as gaps from `now`: the
 * next read reads them first. How a quarantined capture is retried without a FULL read.
 */
export function rereadingSerials(state: unknown, serials: readonly number[], now: number): CaptureState {
  const current = (state as CaptureState | null) ?? { afterSerial: 0 };
  const gaps = current.gaps ?? [];
  // Gaps stay disjoint: the read joins rows to gaps, and a row in two would be read twice.
  const awaited = (s: number) => gaps.some(([from, to]) => s >= from && s <= to);
  const again = [...new Set(serials)]
    .filter((s) => s <= current.afterSerial && !awaited(s))
    .sort((a, b) => a - b)
    .map((s): Gap => [s, s, now]);
  return { afterSerial: current.afterSerial, gaps: [...gaps, ...again] };
}

/** At most this many gaps are awaited: a source with more is failing in ways waiting will not fix. */
const MAX_GAPS = 10_000;

/** The gaps left once `serials` (ascending) have been read. */
export function fillGaps(gaps: readonly Gap[], serials: readonly number[]): Gap[] {
  const left: Gap[] = [];
  for (const [from, to, since] of gaps) {
    let start = from;
    for (const serial of serials) {
      if (serial < start || serial > to) continue;
      if (serial > start) left.push([start, serial - 1, since]);
      start = serial + 1;
    }
    if (start <= to) left.push([start, to, since]);
  }
  return left;
}

/** Captures as read, ordered by the bigint serial (`g.xh`), never by its text rendering. */
const CAPTURE_COLUMNS = `select g.xh::text as xh, g.kkbh, g.hphm, g.hpys, to_char(g.jgsj, 'YYYY-MM-DD HH24:MI:SS') as jgsj, g.fxbh, g.cdh,
  g.clsd, g.tpurl from ${EXCHANGE_SCHEMA}.gcjl g`;

/**
 * The first `$4` rows above serial `$1` in the awaited gaps (`$2`/`$3`: their lows and highs),
 * each gap read as a range of the serial's index. Written as a join ordered by serial, it was
 * planned as a walk of the whole index from `$1`, testing each row against every gap (500,000
 * rows and 0.6 s for two gaps near the top).
 */
export const GAP_ROWS = `select g.* from unnest($2::bigint[], $3::bigint[]) as r(lo, hi)
  cross join lateral (${CAPTURE_COLUMNS} where g.xh between greatest(r.lo, $1::bigint + 1) and r.hi order by g.xh limit $4) g
  order by g.xh::bigint limit $4`;

/** PostgreSQL error classes that mean "set up wrong", not "try again". */
const CONFIGURATION_SQLSTATES = /^(28|3D|3F|42)/;

function classified(error: unknown): Error {
  const code = (error as { code?: string }).code ?? '';
  if (CONFIGURATION_SQLSTATES.test(code)) return new ConfigurationError(`the exchange database refused: ${(error as Error).message}`);
  return new TransientError(`the exchange database failed: ${(error as Error).message}`);
}

/** A field of COPY's text format: `\N` is null; backslash escapes undone. */
function copyText(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|(.))/g, (_, octal: string, hex: string, c: string) => {
    if (octal) return String.fromCharCode(parseInt(octal, 8));
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' } as Record<string, string>)[c] ?? c;
  });
}

/** One line of the captures' COPY, in the shape a row query gives (small integers as numbers). */
function captureRowOf(line: string): CaptureRow {
  const raw = line.split('\t');
  // Escapes and nulls are rare in captures: only a line that has a backslash is unescaped.
  const f = line.includes('\\') ? raw.map(copyText) : raw;
  const int = (v: string | null) => (v === null ? (null as unknown as number) : Number(v));
  return {
    xh: f[0]!,
    kkbh: f[1]!,
    hphm: f[2]!,
    hpys: int(f[3]),
    jgsj: f[4]!,
    fxbh: f[5]!,
    cdh: int(f[6]),
    clsd: int(f[7]),
    tpurl: f[8]!,
  };
}

/**
 * Reads the police exchange database: checkpoints whole, captures by serial. The exchange keeps
 * Beijing wall time without a zone, so times are read as text (`to_char`), never through the
 * local zone of whichever machine runs the connector.
 */
export class ExchangeConnector implements Connector {
  readonly system = 'CHECKPOINT_EXCHANGE';
  readonly streams = [...EXCHANGE_STREAMS];
  readonly reportsDeletions = false;
  private readonly pool: Pool;

  constructor(private readonly options: ExchangeConnectorOptions) {
    this.pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
    // An idle connection the exchange drops is not an error of ours; the next query reconnects.
    this.pool.on('error', () => undefined);
    // Likewise while a connection is checked out (a restart mid-COPY): its read fails instead, and the batch is retried.
    this.pool.on('connect', (client) => client.on('error', () => undefined));
  }

  async check(): Promise<void> {
    await this.query(`select 1 from ${EXCHANGE_SCHEMA}.gcjl limit 1`);
  }

  async *read(stream: string, state: unknown): AsyncGenerator<StreamBatch<object>> {
    if (stream === 'checkpoints') {
      const rows = await this.query<CheckpointRow>(`select kkbh, kkmc, dlmc, fxbh, jd, wd, xzqh, to_char(gxsj, 'YYYY-MM-DD HH24:MI:SS') as gxsj
        from ${EXCHANGE_SCHEMA}.kkxx order by kkbh`);
      const batch: StreamBatch<object> = { records: [], deleted: [], quarantine: [], state: null };
      for (const row of rows) {
        const mapped = mapCheckpointRow(row);
        if ('record' in mapped) batch.records.push(mapped.record);
        else batch.quarantine.push(mapped.quarantine);
      }
      yield batch;
      return;
    }
    if (stream !== 'captures') throw new ConfigurationError(`the exchange has no stream "${stream}"`);
    const previous = state as CaptureState | null;
    const size = this.options.batchSize ?? 5_000;
    const now = Date.now();
    let highest = previous?.afterSerial ?? 0;
    let gaps = previous?.gaps ?? [];
    // Given up only after one more look: a row committed late within the wait, read after it
    // (a long poll interval, a worker down for a while), still lands.
    const stillAwaited = (gap: Gap) => now - gap[2] < (this.options.gapWaitMs ?? 10 * 60_000);
    const batchOf = (rows: CaptureRow[]) => {
      const batch: StreamBatch<object> = { records: [], deleted: [], quarantine: [], state: null };
      for (const row of rows) {
        const mapped = mapCaptureRow(row);
        if ('record' in mapped) batch.records.push(mapped.record);
        else batch.quarantine.push(mapped.quarantine);
      }
      return batch;
    };
    // Rows committed late into the gaps first; each batch's state is the awaited gaps left.
    for (let after = 0; gaps.length > 0;) {
      const rows = await this.query<CaptureRow>(GAP_ROWS, [after, gaps.map((g) => g[0]), gaps.map((g) => g[1]), size]);
      if (rows.length === 0) break;
      gaps = fillGaps(
        gaps,
        rows.map((r) => Number(r.xh)),
      );
      const batch = batchOf(rows);
      // Gaps below this batch's rows were looked at; the ones still empty past the wait are given up.
      const lookedAt = Number(rows[rows.length - 1].xh);
      gaps = gaps.filter((g) => g[1] > lookedAt || stillAwaited(g));
      batch.state = { afterSerial: highest, gaps } satisfies CaptureState;
      yield batch;
      if (rows.length < size) break;
      after = lookedAt;
    }
    gaps = gaps.filter(stillAwaited);
    for (;;) {
      const rows = await this.copyCaptures(highest, size);
      if (rows.length === 0) {
        // Nothing new, but gaps given up (or filled) still change the state.
        if (previous && (previous.gaps?.length ?? 0) !== gaps.length) {
          yield { records: [], deleted: [], quarantine: [], state: { afterSerial: highest, gaps } satisfies CaptureState };
        }
        return;
      }
      for (const row of rows) {
        const serial = Number(row.xh);
        // Serials below the first ever read are history the exchange no longer holds, not gaps.
        if (highest > 0 && serial > highest + 1) gaps.push([highest + 1, serial - 1, now]);
        highest = serial;
      }
      if (gaps.length > MAX_GAPS) gaps = gaps.slice(gaps.length - MAX_GAPS);
      const batch = batchOf(rows);
      batch.state = { afterSerial: highest, gaps } satisfies CaptureState;
      yield batch;
      if (rows.length < size) return;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query(sql, params)).rows as R[];
    } catch (error) {
      throw classified(error);
    }
  }

  /**
   * The captures after `after`, `limit` of them, read with COPY: the bulk of what the exchange
   * sends, and COPY's text reads at twice the pace of rows (the ingest benchmark counts on it).
   */
  private async copyCaptures(after: number, limit: number): Promise<CaptureRow[]> {
    if (!Number.isSafeInteger(after) || !Number.isSafeInteger(limit)) throw new TransientError(`serial ${after} or batch size ${limit} is not a whole number`);
    let client: PoolClient | null = null;
    try {
      client = await this.pool.connect();
      const stream = client.query(copyTo(`copy (${CAPTURE_COLUMNS} where g.xh > ${after} order by g.xh limit ${limit}) to stdout`));
      const rows: CaptureRow[] = [];
      const decoder = new StringDecoder('utf8');
      let rest = '';
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const lines = (rest + decoder.write(chunk)).split('\n');
        rest = lines.pop()!;
        for (const line of lines) rows.push(captureRowOf(line));
      }
      if (rest + decoder.end()) throw new TransientError('the exchange database ended a COPY mid-row');
      return rows;
    } catch (error) {
      throw error instanceof TransientError ? error : classified(error);
    } finally {
      client?.release();
    }
  }
}

/**
 * The police exchange's connector. Quarantined captures are re-read by serial (a FULL read would
 * read all the exchange keeps, a year of them): their serials join the cursor's awaited gaps,
 * which the next incremental read reads first.
 */
export const exchangeConnector: ConnectorDefinition<ExchangeConnectorOptions> = {
  system: 'CHECKPOINT_EXCHANGE',
  rereadQuarantined: {
    captures: (state, sourceIds, now) => {
      const serials = sourceIds.map(Number).filter((n) => Number.isSafeInteger(n) && n > 0);
      return serials.length ? rereadingSerials(state, serials, now) : undefined;
    },
  },
  create: (options) => new ExchangeConnector(options),
};
