import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { ExchangeConnector } from '../../connectors/checkpoint-exchange';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { startExchangeSimulator, startLiveTraffic } from '../../src/demo/upstream/exchange-simulator';
import { generateWorld } from '../../src/demo/world';
import { distanceKm, MAX_PLAUSIBLE_KMH } from '../../src/demo/world/travel-time';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { runStream } from '../../src/sync/run-stream';
import { streamTarget } from '../../src/sync/stream-tables';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';

const world = generateWorld({ seed: 20211, size: 0.05 });
let db: Database;
let url: string;

beforeAll(async () => {
  url = freshDatabaseUrl('live_traffic');
  db = await openDatabase(loadConfig({ DATABASE_URL: url }), entityModelOf(HUB_DOMAINS), testLogger().logger);
});
afterAll(async () => {
  await db?.close();
  await dropDatabase(url);
});

describe("the demo's live traffic", () => {
  it('never implies an impossible trip but for the cloned plates it plants, and a running hub raises a CLONED_PLATE clue for each', async () => {
    const exchange = await startExchangeSimulator(world, db.url);
    const connector = new ExchangeConnector({ databaseUrl: db.url, batchSize: 5_000 });
    try {
      const sync = (stream: string) =>
        runStream({
          pool: db.pool,
          connector,
          ref: { system: SourceSystem.CHECKPOINT_EXCHANGE, stream },
          target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, stream)!,
        });
      await sync('checkpoints');
      const traffic = startLiveTraffic(exchange, world, { intervalMs: 100, perTick: 200, cloneEveryMs: 1_000 });
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      await traffic.stop();
      await sync('captures');
      expect(traffic.clonesPlanted.length).toBeGreaterThanOrEqual(3);

      // Every vehicle's consecutive captures are a possible trip, but the clones'.
      const checkpoint = new Map(world.checkpoints.map((c) => [c.code, c]));
      const { rows } = await db.pool.query<{ plate: string; code: string; at: Date }>(
        `select plate_number || '|' || plate_color as plate, checkpoint_code as code, captured_at as at
         from checkpoint_capture order by plate_number, plate_color, captured_at, source_serial`,
      );
      expect(rows.length).toBeGreaterThan(3_000);
      const impossible = new Set<string>();
      rows.forEach((r, i) => {
        const before = rows[i - 1];
        if (!before || before.plate !== r.plate) return;
        const km = distanceKm(checkpoint.get(before.code)!, checkpoint.get(r.code)!);
        if (km > (MAX_PLAUSIBLE_KMH * (r.at.getTime() - before.at.getTime())) / 3_600_000) impossible.add(r.plate);
      });
      const clones = traffic.clonesPlanted.map((c) => `${c.plateNumber}|${c.plateColor}`);
      expect([...impossible].sort()).toEqual([...new Set(clones)].sort());

      // The hub's derivation finds exactly those, today.
      await deriveClues(db.pool, loadClueRules(loadConfig({}).clueRulesFile));
      const clues = await db.pool.query<{ plate: string }>(
        `select plate_number || '|' || plate_color as plate from clue where kind = 'CLONED_PLATE' and deleted_at is null`,
      );
      expect(clues.rows.map((c) => c.plate).sort()).toEqual([...new Set(clones)].sort());
    } finally {
      await connector.close();
      await exchange.close();
    }
  }, 60_000);
});
