import type { Pool } from 'pg';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { ExchangeConnector } from '../../connectors/checkpoint-exchange';
import type { Database } from '../../src/db/database';
import { startExchangeSimulator } from '../../src/demo/upstream/exchange-simulator';
import type { World } from '../../src/demo/world';
import { copyCaptures, ensureCapturePartitions } from '../../src/ingest/insert-captures';
import { runStream } from '../../src/sync/run-stream';
import { seconds } from './capture-ingest';

/** Captures of the first load, then the steady state's polls, each this many new ones re-reading a look-back of already-ingested ones. */
const FIRST_LOAD = 300_000;
/** The first load in parts, the connector and raw COPY taking turns to go first (the machine's background writes hit both alike). */
const FIRST_LOAD_PARTS = 4;
const POLLS = 6;
const POLL_NEW = 40_000;
const LOOK_BACK = 10_000;
const BATCH = 20_000;
const TARGET = 0.8;

const REF = { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'captures' } as const;

/** Raw COPY of `captures` (serials moved clear of the connector's) into the table, in one transaction, timed. */
async function rawCopy(db: Database, captures: readonly CaptureRecord[], serialOffset: number): Promise<number> {
  const moved = captures.map((c) => ({ ...c, serial: c.serial + serialOffset }));
  const client = await db.pool.connect();
  try {
    const start = process.hrtime.bigint();
    await client.query('begin');
    await copyCaptures(client, 'checkpoint_capture', moved, new Date());
    await client.query('commit');
    return seconds(start);
  } finally {
    client.release();
  }
}

/**
 * Ingest into the full, indexed captures table: through the connector (exchange database →
 * connector → bulk path, cursor per batch) against raw COPY of the same rows, in the same run. A
 * first load, then a steady state: polls of new captures, each starting `LOOK_BACK` serials before
 * the cursor (rows already ingested, read again and skipped), as a look-back re-reads them. Raw
 * COPY writes only the new rows: re-reading is the connector's cost.
 */
export async function measureSteadyIngest(db: Database, owner: Pool, world: World): Promise<void> {
  const captures: CaptureRecord[] = [];
  for (const day of world.captures()) {
    captures.push(...day);
    if (captures.length >= FIRST_LOAD + POLLS * POLL_NEW) break;
  }
  const first = captures.slice(0, FIRST_LOAD);
  const exchange = await startExchangeSimulator(world, db.url);
  const connector = new ExchangeConnector({ databaseUrl: db.url, batchSize: BATCH });
  try {
    await ensureCapturePartitions(db.pool, captures);
    // The load's dirty pages written out first, so neither side pays for them.
    await owner.query('checkpoint');
    await owner.query('analyze');
    const connectorRun = async () => {
      const start = process.hrtime.bigint();
      const run = await runStream({ pool: db.pool, connector, ref: REF, target: { kind: 'captures' } });
      return { run, seconds: seconds(start) };
    };
    /** Both sides over the same rows, in turn, the side that goes first alternating. */
    const inTurn = async (turn: number, fresh: readonly CaptureRecord[], offset: number) => {
      if (turn % 2 === 1) {
        const raw = await rawCopy(db, fresh, offset);
        return { ...(await connectorRun()), raw };
      }
      const viaConnector = await connectorRun();
      return { ...viaConnector, raw: await rawCopy(db, fresh, offset) };
    };

    let loadSeconds = 0;
    let rawLoadSeconds = 0;
    let loaded = 0;
    const part = Math.ceil(FIRST_LOAD / FIRST_LOAD_PARTS);
    for (let p = 0; p < FIRST_LOAD_PARTS; p++) {
      const fresh = first.slice(p * part, (p + 1) * part);
      await exchange.writeCaptures(fresh);
      const turn = await inTurn(p, fresh, 2e12);
      loadSeconds += turn.seconds;
      rawLoadSeconds += turn.raw;
      loaded += turn.run.inserted;
    }
    const load = { inserted: loaded };

    let connectorSeconds = 0;
    let rawSeconds = 0;
    let inserted = 0;
    let read = 0;
    for (let p = 0; p < POLLS; p++) {
      const fresh = captures.slice(FIRST_LOAD + p * POLL_NEW, FIRST_LOAD + (p + 1) * POLL_NEW);
      await exchange.writeCaptures(fresh);
      await owner.query(
        `update sync_stream set cursor = jsonb_set(cursor, '{afterSerial}', to_jsonb((cursor->>'afterSerial')::bigint - $3)) where system = $1 and stream = $2`,
        [REF.system, REF.stream, LOOK_BACK],
      );
      const turn = await inTurn(p, fresh, 3e12);
      connectorSeconds += turn.seconds;
      rawSeconds += turn.raw;
      inserted += turn.run.inserted;
      read += turn.run.read;
    }
    const expected = POLLS * POLL_NEW;
    if (load.inserted !== FIRST_LOAD || inserted !== expected) {
      throw new Error(`the connector inserted ${load.inserted} and ${inserted} captures, not ${FIRST_LOAD} and ${expected}`);
    }
    const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en');
    const ratio = (a: number, b: number) => `${(b / a).toFixed(2)} (target ≥ ${TARGET}): ${b / a >= TARGET ? 'met' : 'NOT met'}`;
    console.log(`\ningest into the full table (batches of ${BATCH.toLocaleString('en')}), connector vs raw COPY of the same new rows:`);
    console.log(
      `  first load, ${FIRST_LOAD.toLocaleString('en')} captures in ${FIRST_LOAD_PARTS} runs: connector ${rate(FIRST_LOAD, loadSeconds)}/s, raw COPY ${rate(FIRST_LOAD, rawLoadSeconds)}/s, ratio ${ratio(loadSeconds, rawLoadSeconds)}`,
    );
    console.log(
      `  steady state, ${POLLS} polls of ${POLL_NEW.toLocaleString('en')} new captures each re-reading ${LOOK_BACK.toLocaleString('en')} (${read.toLocaleString('en')} read, ${inserted.toLocaleString('en')} inserted): ` +
        `connector ${rate(expected, connectorSeconds)} new/s, raw COPY ${rate(expected, rawSeconds)}/s, ratio ${ratio(connectorSeconds, rawSeconds)}`,
    );
    const both = (loadSeconds + connectorSeconds) / (rawLoadSeconds + rawSeconds);
    console.log(`  both together: ratio ${(1 / both).toFixed(2)}`);
  } finally {
    await connector.close();
    await exchange.close();
  }
}
