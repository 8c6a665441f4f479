import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { runStream } from '../../src/sync/run-stream';
import { streamTable, streamTarget } from '../../src/sync/stream-tables';
import { ConfigurationError, TransientError, type Connector } from '../../connectors/contract';
import { ExchangeConnector } from '../../connectors/checkpoint-exchange';
import { startExchangeSimulator } from '../../src/demo/upstream/exchange-simulator';
import { CreditConnector } from '../../connectors/credit-platform';
import { startCreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { RegistryConnector } from '../../connectors/market-registry';
import { startRegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { TransportConnector } from '../../connectors/transport';
import { startTransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld, type World } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';

/** One connector under test: how to start its simulated source and what each stream must hold. */
interface Subject {
  system: SourceSystem;
  start(
    world: World,
    databaseUrl: string,
  ): Promise<{
    connector: Connector;
    /** The same source with credentials (or a database) it refuses; null where it takes none. */
    badCredentials: Connector | null;
    /** A connector pointed at an address where nothing answers. */
    unreachable: Connector;
    close(): Promise<void>;
  }>;
  /** What each record stream must hold after a first sync (captures have their own test). */
  expected(world: World): Record<string, readonly object[]>;
}

/** An address where nothing listens (port 1 is never served here). */
const NOWHERE = 'http://127.0.0.1:1';

const SUBJECTS: Record<string, Subject> = {
  transport: {
    system: SourceSystem.TRANSPORT,
    async start(world) {
      const sim = await startTransportSimulator(world);
      return {
        connector: new TransportConnector({ baseUrl: sim.url, token: sim.token, pageSize: 33 }),
        badCredentials: new TransportConnector({ baseUrl: sim.url, token: 'wrong' }),
        unreachable: new TransportConnector({ baseUrl: NOWHERE, token: sim.token, timeoutMs: 2_000 }),
        close: () => sim.close(),
      };
    },
    expected: (w) => ({
      licences: w.licences,
      vehicles: w.vehicles,
      practitioners: w.practitioners,
      enforcementCases: w.enforcementCases,
      weighings: w.weighings,
    }),
  },
  'market registry': {
    system: SourceSystem.MARKET_REGISTRY,
    async start(world) {
      const sim = await startRegistrySimulator(world);
      return {
        connector: new RegistryConnector({ baseUrl: sim.url, pageSize: 9 }),
        badCredentials: null,
        unreachable: new RegistryConnector({ baseUrl: NOWHERE, timeoutMs: 2_000 }),
        close: () => sim.close(),
      };
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
        unreachable: new CreditConnector({ baseUrl: NOWHERE, apiKey: sim.apiKey, timeoutMs: 2_000 }),
        close: () => sim.close(),
      };
    },
    expected: (w) => ({ ratings: w.creditRatings, listEntries: w.creditListEntries }),
  },
  'checkpoint exchange': {
    system: SourceSystem.CHECKPOINT_EXCHANGE,
    async start(world, databaseUrl) {
      const sim = await startExchangeSimulator(world, databaseUrl);
      const elsewhere = (path: string) => {
        const u = new URL(databaseUrl);
        u.pathname = path;
        return u.toString();
      };
      const connectors = [
        new ExchangeConnector({ databaseUrl }),
        new ExchangeConnector({ databaseUrl: elsewhere('/no_such_exchange_database') }),
        new ExchangeConnector({ databaseUrl: 'postgresql://postgres@127.0.0.1:1/nowhere' }),
      ];
      return {
        connector: connectors[0],
        badCredentials: connectors[1],
        unreachable: connectors[2],
        close: async () => {
          for (const c of connectors) await c.close();
          await sim.close();
        },
      };
    },
    expected: (w) => ({ checkpoints: w.checkpoints }),
  },
};

const world = generateWorld({ seed: 21, size: 0.02 });

describe.each(Object.entries(SUBJECTS))('connector conformance: %s', (_name, subject) => {
  let db: Database;
  let source: Awaited<ReturnType<Subject['start']>>;

  beforeAll(async () => {
    db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`conf_${subject.system}`) }), entityModelOf(HUB_DOMAINS));
    source = await subject.start(world, db.url);
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
      const run = await runStream({
        pool: db.pool,
        connector: source.connector,
        ref: { system: subject.system, stream },
        target: streamTarget(subject.system, stream)!,
      });
      expect(run).toMatchObject({ status: 'SUCCEEDED', quarantined: 0, inserted: records.length });
      const { rows } = await db.pool.query<{ h: string }>(`select provenance_content_hash as h from ${spec.table} where deleted_at is null`);
      expect(rows.map((r) => r.h).sort()).toEqual(records.map((r) => contentHash(r)).sort());
    }
  });

  it('a second sync with nothing changed at the source writes nothing', async () => {
    for (const stream of Object.keys(subject.expected(world))) {
      const run = await runStream({
        pool: db.pool,
        connector: source.connector,
        ref: { system: subject.system, stream },
        target: streamTarget(subject.system, stream)!,
      });
      expect(run).toMatchObject({ status: 'SUCCEEDED', inserted: 0, updated: 0, deleted: 0 });
    }
  });

  it('an unknown stream is a configuration error; a source that does not answer is transient', async () => {
    await expect(source.connector.read('nonsense', null).next()).rejects.toBeInstanceOf(ConfigurationError);
    const [stream] = Object.keys(subject.expected(world));
    await expect(source.unreachable.read(stream, null).next()).rejects.toBeInstanceOf(TransientError);
  });

  it('closes what it holds', async () => {
    const connectors = [source.connector, source.badCredentials, source.unreachable].filter((c) => c !== null);
    for (const connector of connectors) await expect(connector.close()).resolves.toBeUndefined();
  });
});
