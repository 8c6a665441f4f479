import { Pool } from 'pg';
import { ConfigurationError, TransientError, type Connector, type StreamBatch } from '../contract';
import { EXCHANGE_SCHEMA, EXCHANGE_STREAMS } from './exchange-format';
import { mapCaptureRow, mapCheckpointRow, type CaptureRow, type CheckpointRow } from './exchange-mapping';

export interface ExchangeConnectorOptions {
  /** The exchange database (read access to its schema is enough). */
  databaseUrl: string;
  batchSize?: number;
  /**
   * Serials re-read before the cursor on each run: the police system commits some rows late with
   * serials below rows already visible. Re-reading them is free (captures are inserted once).
   */
  lookBackSerials?: number;
}

interface CaptureState {
  afterSerial: number;
}

/** PostgreSQL error classes that mean "set up wrong", not "try again". */
const CONFIGURATION_SQLSTATES = /^(28|3D|3F|42)/;

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
    let after = Math.max(0, ((state as CaptureState | null)?.afterSerial ?? 0) - (this.options.lookBackSerials ?? 10_000));
    let highest = (state as CaptureState | null)?.afterSerial ?? 0;
    const size = this.options.batchSize ?? 5_000;
    for (;;) {
      // Ordered by the bigint column, not by its text rendering under the same name.
      const rows = await this.query<CaptureRow>(`select g.xh::text as xh, g.kkbh, g.hphm, g.hpys,
          to_char(g.jgsj, 'YYYY-MM-DD HH24:MI:SS') as jgsj, g.fxbh, g.cdh, g.clsd, g.tpurl
        from ${EXCHANGE_SCHEMA}.gcjl g where g.xh > $1 order by g.xh limit $2`, [after, size]);
      if (rows.length === 0) return;
      const batch: StreamBatch<object> = { records: [], deleted: [], quarantine: [], state: null };
      for (const row of rows) {
        const mapped = mapCaptureRow(row);
        if ('record' in mapped) batch.records.push(mapped.record);
        else batch.quarantine.push(mapped.quarantine);
      }
      after = Number(rows[rows.length - 1].xh);
      highest = Math.max(highest, after);
      batch.state = { afterSerial: highest } satisfies CaptureState;
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
      const code = (error as { code?: string }).code ?? '';
      if (CONFIGURATION_SQLSTATES.test(code)) throw new ConfigurationError(`the exchange database refused: ${(error as Error).message}`);
      throw new TransientError(`the exchange database failed: ${(error as Error).message}`);
    }
  }
}
