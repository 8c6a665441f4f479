import type { Pool } from 'pg';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { ExchangeConnector } from '../../connectors/checkpoint-exchange';
import type { Database } from '../../src/db/database';
import { startExchangeSimulator, type ExchangeSimulator } from '../../src/demo/upstream/exchange-simulator';
import type { World } from '../../src/demo/world';
import { ensureCapturePartitions } from '../../src/ingest/insert-captures';
import { runStream, type RunSummary } from '../../src/sync/run-stream';
import { ownerPool } from '../support/owner-pool';

export const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export interface CaptureIngest {
  run: RunSummary;
  /** Rows per second through the connector path. */
  rate: number;
  exchange: ExchangeSimulator;
  /** The tables' owner (analysed before the run), for set-up the hub's role may not do. */
  owner: Pool;
}

/**
 * The world's captures through the connector path, timed: written to the exchange simulator, day
 * partitions made and the tables analysed first, then one sync run of the captures stream
 * (exchange database → connector → COPY into staging → partitions, cursor per batch).
 */
export async function ingestCapturesViaConnector(db: Database, world: World, captures: CaptureRecord[]): Promise<CaptureIngest> {
  const exchange = await startExchangeSimulator(world, db.url);
  await exchange.writeCaptures(captures);
  await ensureCapturePartitions(db.pool, captures);
  const owner = ownerPool(db.url);
  await owner.query('analyze');
  const connector = new ExchangeConnector({ databaseUrl: db.url, batchSize: 20_000 });
  const start = process.hrtime.bigint();
  const run = await runStream({
    pool: db.pool,
    connector,
    ref: { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'captures' },
    target: { kind: 'captures' },
  });
  const rate = run.inserted / seconds(start);
  await connector.close();
  return { run, rate, exchange, owner };
}
