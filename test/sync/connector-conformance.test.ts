import { SourceSystem } from '../../src/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { runStream } from '../../src/sync/run-stream';
import { streamTable, streamTarget } from '../../src/sync/stream-tables';
import { ConfigurationError, TransientError, type Connector } from '../../connectors/contract';
import { CreditConnector, startCreditSimulator } from '../../connectors/credit-platform';
import { RegistryConnector, startRegistrySimulator } from '../../connectors/market-registry';
import { startTransportSimulator, TransportConnector } from '../../connectors/transport';
import { generateWorld, type World } from '../../connectors/world';
import { freshDatabaseUrl } from '../support/test-database';

/** One connector under test: how to start its simulated source and what each stream must hold. */
interface Subject {
  system: SourceSystem;
  start(world: World): Promise<{ connector: Connector; badCredentials: Connector | null; close(): Promise<void> }>;
  expected(world: World): Record<string, readonly object[]>;
}

const SUBJECTS: Record<string, Subject> = {
  transport: {
    system: SourceSystem.TRANSPORT,
    async start(world) {
      const sim = await startTransportSimulator(world);
      return {
        connector: new TransportConnector({ baseUrl: sim.url, token: sim.token, pageSize: 33 }),
        badCredentials: new TransportConnector({ baseUrl: sim.url, token: 'wrong' }),
        close: () => sim.close(),
      };
    },
    expected: (w) => ({ licences: w.licences, vehicles: w.vehicles, practitioners: w.practitioners, enforcementCases: w.enforcementCases, weighings: w.weighings }),
  },
  'market registry': {
    system: SourceSystem.MARKET_REGISTRY,
    async start(world) {
      const sim = await startRegistrySimulator(world);
      return { connector: new RegistryConnector({ baseUrl: sim.url, pageSize: 9 }), badCredentials: null, close: () => sim.close() };
    },
    expected: (w) => ({ enterprises: w.enterprises, abnormalOperations: w.abnormalOperations }),
  },
  'credit platform': {
    system: SourceSystem.CREDIT_PLATFORM,
    async start(world) {
      const sim = await startCreditSimulator(world);
      return {
        connector: new CreditConnector({ baseUrl: sim.url, apiKey: sim.apiKey, pageSize: 17 }),
        badCredentials: new CreditConnector({ baseUrl: sim.url, apiKey: 'wrong' }),
        close: () => sim.close(),
      };
    },
    expected: (w) => ({ ratings: w.creditRatings, listEntries: w.creditListEntries }),
  },
};

const world = generateWorld({ seed: 21, size: 0.02 });

describe.each(Object.entries(SUBJECTS))('connector conformance: %s', (_name, subject) => {
  let db: Database;
  let source: Awaited<ReturnType<Subject['start']>>;

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`conf_${subject.system}`) }));
    source = await subject.start(world);
  });
  afterAll(async () => {
    await source?.close().catch(() => undefined);
    await db?.close();
    await dropDatabase(db.url);
  });

  it('reaches its source, and names refused credentials a configuration error', async () => {
    await expect(source.connector.check()).resolves.toBeUndefined();
    if (source.badCredentials) await expect(source.badCredentials.check()).rejects.toBeInstanceOf(ConfigurationError);
  });

  it('a first sync of every stream makes the hub equal to the source, content for content', async () => {
    for (const [stream, records] of Object.entries(subject.expected(world))) {
      const spec = streamTable(subject.system, stream)!;
      const run = await runStream(db.pool, source.connector, { system: subject.system, stream }, streamTarget(subject.system, stream)!);
      expect(run).toMatchObject({ status: 'SUCCEEDED', quarantined: 0, inserted: records.length });
      const { rows } = await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${spec.table} where deleted_at is null`);
      expect(rows.map((r) => r.h).sort()).toEqual(records.map((r) => contentHash(r)).sort());
    }
  });

  it('a second sync with nothing changed at the source writes nothing', async () => {
    for (const stream of Object.keys(subject.expected(world))) {
      const run = await runStream(db.pool, source.connector, { system: subject.system, stream }, streamTarget(subject.system, stream)!);
      expect(run).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 0, deleted: 0 });
    }
  });

  it('an unknown stream is a configuration error; a source that is down is transient', async () => {
    await expect(source.connector.read('nonsense', null).next()).rejects.toBeInstanceOf(ConfigurationError);
    await source.close();
    const [stream] = Object.keys(subject.expected(world));
    await expect(source.connector.read(stream, null).next()).rejects.toBeInstanceOf(TransientError);
  });
});
