import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { runStream, type RunSummary } from '../../src/sync/run-stream';
import type { SyncMode } from '../../src/sync/state';
import { streamTarget } from '../../src/sync/stream-tables';
import { TransientError, type Connector } from '../../connectors/contract';
import { ExchangeConnector } from '../../connectors/checkpoint-exchange';
import { startExchangeSimulator, startLiveTraffic } from '../../src/demo/upstream/exchange-simulator';
import { CreditConnector } from '../../connectors/credit-platform';
import { startCreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { RegistryConnector } from '../../connectors/market-registry';
import { startRegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { isMalformed, type DataFaults } from '../../src/demo/upstream/data-faults';
import { parseDemoFaults } from '../../src/demo/upstream/demo-faults';
import { startDemoUpstream } from '../../src/demo/upstream/demo-upstream';
import { TRANSPORT_STREAMS, TransportConnector } from '../../connectors/transport';
import { startTransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { hubRecordId } from '../../connectors/transport/transport-mapping';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';
import { ownerPool } from '../support/owner-pool';

const world = generateWorld({ seed: 97, size: 0.1 });
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/** One stream of one HTTP simulator, as the scenarios below need it. */
interface Subject {
  system: SourceSystem;
  stream: string;
  table: string;
  /** The world's canonical records of the stream, with their hub id. */
  records: ReadonlyArray<{ record: object; hubId: string; sourceId: string }>;
  /** Whether the source reports deletions (otherwise a FULL run reconciles them). */
  tombstones: boolean;
  /** Reasons expected among the malformed records' quarantine entries. */
  reasons: RegExp[];
  start(): Promise<{
    connector: Connector;
    setFaults(f: DataFaults): void;
    /** Changes a field of one record at the source, stamped `at`. */
    change(sourceId: string, value: number, at: string): void;
    /** The value of that field in the hub's row. */
    hubValue(db: Database, hubId: string): Promise<unknown>;
    close(): Promise<void>;
  }>;
}

const SUBJECTS: Subject[] = [
  {
    system: SourceSystem.TRANSPORT,
    stream: 'vehicles',
    table: 'vehicle',
    tombstones: true,
    records: world.vehicles.map((v) => {
      const sourceId = TRANSPORT_STREAMS.vehicles(v as never);
      return { record: v, hubId: hubRecordId('vehicles', sourceId), sourceId };
    }),
    reasons: [/unknown plate colour code 77/, /validTo/],
    async start() {
      const s = await startTransportSimulator(world);
      return {
        connector: new TransportConnector({ baseUrl: s.url, token: s.token, pageSize: 100 }),
        setFaults: (f) => s.setFaults(f),
        change: (id, value, at) => s.update('vehicles', id, { axleCount: value }, at),
        hubValue: async (db, hubId) =>
          (await db.pool.query(`select axle_count as v from vehicle where plate_number || '|' || plate_color = $1`, [hubId])).rows[0]?.v,
        close: s.close,
      };
    },
  },
  {
    system: SourceSystem.MARKET_REGISTRY,
    stream: 'enterprises',
    table: 'enterprise',
    tombstones: false,
    records: world.enterprises.map((e) => ({ record: e, hubId: e.uscc, sourceId: e.uscc })),
    reasons: [/djzt: unknown status "歇业中"/, /clrq: "2023-02-30" is not a date/, /xzqh: prefix 99 is not a province/, /zczb: "约五百" is not an amount/],
    async start() {
      const s = await startRegistrySimulator(world);
      return {
        connector: new RegistryConnector({ baseUrl: s.url, pageSize: 25 }),
        setFaults: (f) => s.setFaults(f),
        change: (id, value, at) => s.update(id, { zczb: String(value) }, at),
        hubValue: async (db, hubId) =>
          Number((await db.pool.query('select registered_capital_yuan as v from enterprise where uscc = $1', [hubId])).rows[0]?.v) / 10_000,
        close: s.close,
      };
    },
  },
  {
    system: SourceSystem.MARKET_REGISTRY,
    stream: 'abnormalOperations',
    table: 'abnormal_operation',
    tombstones: false,
    records: world.abnormalOperations.map((a) => ({ record: a, hubId: a.sourceId, sourceId: a.sourceId })),
    reasons: [/tyshxydm/, /lrrq: "2024-13-01" is not a date/],
    async start() {
      const s = await startRegistrySimulator(world);
      return {
        connector: new RegistryConnector({ baseUrl: s.url, pageSize: 5 }),
        setFaults: (f) => s.setFaults(f),
        change: (id, value, at) => s.updateAbnormal(id, { lryy: `reason ${value}` }, at),
        hubValue: async (db, hubId) =>
          Number(String((await db.pool.query('select reason as v from abnormal_operation where source_id = $1', [hubId])).rows[0]?.v).replace('reason ', '')),
        close: s.close,
      };
    },
  },
  {
    system: SourceSystem.CREDIT_PLATFORM,
    stream: 'ratings',
    table: 'credit_rating',
    tombstones: false,
    records: world.creditRatings.map((r) => ({ record: r, hubId: r.sourceId, sourceId: r.sourceId })),
    reasons: [/ztdm/, /pjdj: "E级" is not on the Jiangsu scale/, /pjnd: 1899 is not a year/],
    async start() {
      const s = await startCreditSimulator(world);
      return {
        connector: new CreditConnector({ baseUrl: s.url, apiKey: s.apiKey, pageSize: 10 }),
        setFaults: (f) => s.setFaults(f),
        change: (id, value, at) => s.update('ratings', id, { pjfs: value }, at),
        hubValue: async (db, hubId) => Number((await db.pool.query('select score as v from credit_rating where source_id = $1', [hubId])).rows[0]?.v),
        close: s.close,
      };
    },
  },
  {
    system: SourceSystem.CREDIT_PLATFORM,
    stream: 'listEntries',
    table: 'credit_list_entry',
    tombstones: false,
    records: world.creditListEntries.map((e) => ({ record: e, hubId: e.sourceId, sourceId: e.sourceId })),
    reasons: [/ztdm/, /mdlx: unknown list type code "09"/, /lrrq: "20250231" is not a date/],
    async start() {
      const s = await startCreditSimulator(world);
      return {
        connector: new CreditConnector({ baseUrl: s.url, apiKey: s.apiKey, pageSize: 10 }),
        setFaults: (f) => s.setFaults(f),
        change: (id, value, at) => s.update('listEntries', id, { lrly: `reason ${value}` }, at),
        hubValue: async (db, hubId) =>
          Number(String((await db.pool.query('select reason as v from credit_list_entry where source_id = $1', [hubId])).rows[0]?.v).replace('reason ', '')),
        close: s.close,
      };
    },
  },
];

let db: Database;
beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('datafaults') }), entityModelOf(HUB_DOMAINS));
});
afterAll(async () => {
  await db?.close();
  await dropDatabase(db.url);
});

/** Runs a stream to completion the way the queue would: a transient failure is tried again. */
async function sync(connector: Connector, subject: { system: SourceSystem; stream: string }, mode: SyncMode = 'INCREMENTAL'): Promise<RunSummary> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await runStream({ pool: db.pool, connector, ref: subject, target: streamTarget(subject.system, subject.stream)!, mode });
    } catch (error) {
      if (!(error instanceof TransientError) || attempt === 5) throw error;
    }
  }
}

async function liveHashes(table: string, system: SourceSystem): Promise<string[]> {
  const { rows } = await db.pool.query<{ h: string }>(
    `select provenance_content_hash as h from ${table}
    where deleted_at is null and provenance_system = $1`,
    [system],
  );
  return rows.map((r) => r.h).sort();
}

describe.each(SUBJECTS.map((s) => [`${s.system}/${s.stream}`, s] as const))('data faults: %s', (_name, subject) => {
  it('converges with malformed records, repeats across pages and deletions mid-read; fixed records land and resolve their entries', async () => {
    expect(subject.records.length).toBeGreaterThanOrEqual(10);
    const source = await subject.start();
    try {
      const malformed = subject.records.slice(2, 4);
      // One record the read has passed when it is deleted, one it has not reached (sources serve by key or time).
      const deleted = [subject.records[0], subject.records[subject.records.length - 1]];
      source.setFaults({ malformed: malformed.map((r) => r.sourceId), repeatAcrossPages: true, deleteDuringRead: deleted.map((r) => r.sourceId) });
      const first = await sync(source.connector, subject);
      expect(first.status).toBe('SUCCEEDED');
      // A source without deletions shows them only in a complete snapshot.
      if (!subject.tombstones) expect((await sync(source.connector, subject, 'FULL')).status).toBe('SUCCEEDED');
      const gone = new Set([...malformed, ...deleted].map((r) => r.hubId));
      expect(await liveHashes(subject.table, subject.system)).toEqual(
        subject.records
          .filter((r) => !gone.has(r.hubId))
          .map((r) => contentHash(r.record))
          .sort(),
      );
      const quarantined = await db.pool.query<{ source_id: string; reasons: string[] }>(
        `select source_id, reasons from quarantined_record
        where system = $1 and stream = $2 and resolved_at is null and released_at is null`,
        [subject.system, subject.stream],
      );
      expect(quarantined.rows).toHaveLength(2);
      const reasons = quarantined.rows.flatMap((r) => r.reasons).join('\n');
      for (const reason of subject.reasons) expect(reasons).toMatch(reason);

      // The source fixes its records (same change time): a FULL read brings them in and resolves the entries.
      source.setFaults({});
      expect((await sync(source.connector, subject, 'FULL')).status).toBe('SUCCEEDED');
      const deletedIds = new Set(deleted.map((r) => r.hubId));
      expect(await liveHashes(subject.table, subject.system)).toEqual(
        subject.records
          .filter((r) => !deletedIds.has(r.hubId))
          .map((r) => contentHash(r.record))
          .sort(),
      );
      const { rows: open } = await db.pool.query(
        `select source_id from quarantined_record where system = $1 and stream = $2
        and resolved_at is null and released_at is null`,
        [subject.system, subject.stream],
      );
      // Entries keyed by the record's own id are resolved; one whose bad key hid the record's id stays for a person.
      const resolvable = malformed.filter((r) => quarantined.rows.some((q) => q.source_id === r.hubId));
      expect(open).toHaveLength(2 - resolvable.length);
    } finally {
      await source.close();
    }
  }, 60_000);

  it("an update that arrives out of order never moves the hub's row backwards", async () => {
    const source = await subject.start();
    try {
      const { sourceId, hubId } = subject.records[5];
      await sync(source.connector, subject);
      source.change(sourceId, 77, minutesAgo(2));
      await sync(source.connector, subject);
      expect(await source.hubValue(db, hubId)).toBe(77);
      // An older version of the record, served after the newer one (a replica behind, a late commit).
      source.change(sourceId, 11, minutesAgo(3));
      const late = await sync(source.connector, subject);
      expect(late.read).toBeGreaterThan(0);
      expect(await source.hubValue(db, hubId)).toBe(77);
    } finally {
      await source.close();
    }
  }, 60_000);
});

describe('data faults: CHECKPOINT_EXCHANGE/captures', () => {
  it('quarantines every kind of malformed capture with its reason and lands the rest of each batch', async () => {
    const exchange = await startExchangeSimulator(world, db.url);
    const connector = new ExchangeConnector({ databaseUrl: db.url, batchSize: 50 });
    try {
      const captures = [...world.captures()]
        .flat()
        .slice(0, 200)
        .map((c, i) => ({ ...c, imageRef: `img://faults/${i}.jpg` }));
      exchange.setFaults({ malformedEvery: 10 });
      await exchange.writeCaptures(captures);
      exchange.setFaults({});
      const run = await runStream({
        pool: db.pool,
        connector,
        ref: { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'captures' },
        target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')!,
      });
      expect(run).toMatchObject({ status: 'SUCCEEDED', inserted: 180, quarantined: 20, batches: 4 });
      const bad = new Set(exchange.malformedWritten);
      const { rows } = await db.pool.query<{ image_ref: string }>(`select image_ref from checkpoint_capture where image_ref like 'img://faults/%'`);
      expect(rows.map((r) => r.image_ref).sort()).toEqual(
        captures
          .filter((c) => !bad.has(c.imageRef))
          .map((c) => c.imageRef)
          .sort(),
      );
      const { rows: entries } = await db.pool.query<{ reasons: string[] }>(`select reasons from quarantined_record where stream = 'captures'`);
      const reasons = entries.flatMap((e) => e.reasons).join('\n');
      for (const reason of [/hpys: unknown vendor plate colour 42/, /fxbh: unknown direction "09"/, /outside the plausible window/, /hphm/]) {
        expect(reasons).toMatch(reason);
      }
    } finally {
      await connector.close();
      await exchange.close();
    }
  });
});

describe('DEMO_FAULTS', () => {
  it("starts the demo's simulated systems with the fault modes asked for", async () => {
    const { demoFaults } = loadConfig({
      DEMO_FAULTS: JSON.stringify({ transport: { serverErrorEvery: 1 }, registry: { malformedEvery: 2 }, exchange: { malformedEvery: 1 } }),
    });
    const demo = await startDemoUpstream(world, db.url, parseDemoFaults(demoFaults));
    try {
      const transport = await fetch(`${demo.upstream.transport!.url}/api/v1/vehicles`, {
        headers: { authorization: `Bearer ${demo.upstream.transport!.token}` },
      });
      expect(transport.status).toBe(500);
      const registry = (await (await fetch(`${demo.upstream.registry!.url}/registry/enterprises?page=1&size=100`)).json()) as { rows: Array<{ djzt: string }> };
      const malformed = registry.rows.filter((r) => r.djzt === '歇业中').length;
      // About one in two, chosen by id.
      expect(malformed).toBeGreaterThan(20);
      expect(malformed).toBeLessThan(80);
      const credit = await fetch(`${demo.upstream.credit!.url}/open/credit/ratings?limit=1`, { headers: { 'x-api-key': demo.upstream.credit!.apiKey } });
      expect(credit.status).toBe(200);
      // Live checkpoint traffic is written malformed, in turn, from the first tick (every 2 s).
      const police = ownerPool(db.url);
      let bad = 0;
      try {
        for (let i = 0; i < 50 && bad === 0; i++) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          bad = (await police.query(`select count(*)::int as n from psb_exchange.gcjl where hpys = 42 and tpurl like '%/live-%'`)).rows[0].n;
        }
      } finally {
        await police.end();
      }
      expect(bad).toBeGreaterThan(0);
    } finally {
      await demo.close();
    }
  });

  it('live traffic with lateEvery commits every Nth tick after the next one, and the sync still gets every capture', async () => {
    const exchange = await startExchangeSimulator(world, db.url);
    const connector = new ExchangeConnector({ databaseUrl: db.url, batchSize: 500 });
    const police = ownerPool(db.url);
    try {
      const {
        rows: [{ before }],
      } = await police.query<{ before: number }>(`select count(*)::int as before from psb_exchange.gcjl where tpurl like '%/live-%'`);
      exchange.setFaults({ lateEvery: 2 });
      const traffic = startLiveTraffic(exchange, world, { intervalMs: 50, perTick: 10 });
      const ref = { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'captures' };
      const target = streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')!;
      // Sync while the traffic runs, so reads land between late ticks and the ticks after them.
      for (let i = 0; i < 6; i++) {
        await new Promise((resolve) => setTimeout(resolve, 70));
        await runStream({ pool: db.pool, connector, ref, target });
      }
      await traffic.stop();
      expect(traffic.lateTicks).toBeGreaterThan(0);
      await runStream({ pool: db.pool, connector, ref, target });
      const {
        rows: [{ written }],
      } = await police.query<{ written: number }>(`select count(*)::int as written from psb_exchange.gcjl where tpurl like '%/live-%'`);
      expect(written).toBeGreaterThan(before);
      const {
        rows: [{ landed }],
      } = await db.pool.query<{ landed: number }>(`select count(*)::int as landed from checkpoint_capture where image_ref like '%/live-%'`);
      const {
        rows: [{ bad }],
      } = await db.pool.query<{ bad: number }>(`select count(*)::int as bad from quarantined_record
        where stream = 'captures' and raw->>'tpurl' like '%/live-%'`);
      expect(landed + bad).toBe(written);
    } finally {
      await police.end();
      await connector.close();
      await exchange.close();
    }
  });

  it('malformedEvery picks the same records on every read', () => {
    const ids = subjectIds();
    const first = ids.filter((id) => isMalformed({ malformedEvery: 5 }, id));
    expect(ids.filter((id) => isMalformed({ malformedEvery: 5 }, id))).toEqual(first);
    expect(first.length).toBeGreaterThan(ids.length / 10);
    expect(first.length).toBeLessThan(ids.length / 3);
    expect(isMalformed({ malformed: [ids[0]] }, ids[0])).toBe(true);
    expect(isMalformed({}, ids[0])).toBe(false);
  });
});

function subjectIds(): string[] {
  return world.vehicles.map((v) => v.plateNumber);
}
