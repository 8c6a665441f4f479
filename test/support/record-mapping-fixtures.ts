import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Pool } from 'pg';
import { mapCaptureRow, mapCheckpointRow, type CaptureRow, type CheckpointRow } from '../../connectors/checkpoint-exchange/exchange-mapping';
import { EXCHANGE_SCHEMA } from '../../connectors/checkpoint-exchange/exchange-format';
import type { Mapped } from '../../connectors/contract';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { NOW, type MappingCase, type MappingFixture } from '../../connectors/contract/testing/mapping';
import { mapPlatformListEntry, mapPlatformRating } from '../../connectors/credit-platform/credit-mapping';
import type { PlatformListEntry, PlatformRating } from '../../connectors/credit-platform/credit-format';
import { mapRegistryAbnormal, mapRegistryEnterprise } from '../../connectors/market-registry/registry-mapping';
import type { RegistryAbnormal, RegistryEnterprise } from '../../connectors/market-registry/registry-format';
import { TRANSPORT_STREAMS, type TransportStream } from '../../connectors/transport';
import { mapTransportRecord } from '../../connectors/transport/transport-mapping';
import type { TransportSourceRecord } from '../../connectors/transport/transport-format';
import { loadConfig, projectRoot } from '../../src/config';
import { dropDatabase, ensureDatabase } from '../../src/db/ensure-database';
import { startCreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { startExchangeSimulator } from '../../src/demo/upstream/exchange-simulator';
import { startRegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { startTransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';

/**
 * Records the connectors' mapping fixtures (`connectors/<system>/fixtures/<stream>.json`) from
 * what the simulated agency systems serve over a small world, some records served malformed:
 *
 *   DATABASE_URL=postgresql://… npm run -s fixtures:record
 *
 * (the exchange simulator needs a PostgreSQL server; a scratch database is made and dropped).
 * A record served intact is recorded with the world record it was served from, and recording
 * fails when today's mapping does not give back exactly that record; a record served malformed is
 * recorded with the quarantine today's mapping gives it. The mapping tests then hold the
 * connectors to these files, without the world generator.
 */

const SEED = 1;
const SIZE = 0.1;
const MALFORMED_EVERY = 5;
/** Records served intact, and malformed, kept per stream. */
const INTACT = 8;
const MALFORMED = 3;

const world = generateWorld({ seed: SEED, size: SIZE });

/** Maps with the clock at the world's "today", as the mapping tests do. */
function atNow<T>(map: () => T): T {
  const realNow = Date.now;
  Date.now = () => NOW;
  try {
    return map();
  } finally {
    Date.now = realNow;
  }
}

interface Stream<S> {
  connector: string;
  name: string;
  source: string;
  served: S[];
  map(served: S): Mapped<object>;
  /** The world record a record was served from (undefined: served malformed, or not from the world). */
  origin(served: S): object | undefined;
  /** What the kept records should vary in (statuses, colours, …): one of each is kept first. */
  variety?(record: object): unknown;
  /** Records served malformed to keep (default MALFORMED). */
  keepMalformed?: number;
}

function casesOf<S>(stream: Stream<S>): Array<MappingCase<S>> {
  const mapped = stream.served.map((served) => ({ served, mapped: atNow(() => stream.map(served)) }));
  const intact = mapped.filter((m) => 'record' in m.mapped);
  const malformed = mapped.filter((m) => 'quarantine' in m.mapped);
  for (const m of intact) {
    const origin = stream.origin(m.served);
    if (!origin || !isDeepStrictEqual(m.mapped, { record: origin })) {
      throw new Error(`${stream.connector}/${stream.name}: ${JSON.stringify(m.served)} maps to ${JSON.stringify(m.mapped)}, not to ${JSON.stringify(origin)}`);
    }
  }
  const kept = new Set<(typeof mapped)[number]>();
  const seen = new Set<unknown>();
  for (const m of intact) {
    const value = stream.variety?.((m.mapped as { record: object }).record);
    if (stream.variety && !seen.has(value) && kept.size < INTACT) {
      seen.add(value);
      kept.add(m);
    }
  }
  for (let i = 0; kept.size < Math.min(INTACT, intact.length); i++) kept.add(intact[Math.floor((i * intact.length) / INTACT) % intact.length]);
  for (const m of malformed.slice(0, stream.keepMalformed ?? MALFORMED)) kept.add(m);
  return mapped
    .filter((m) => kept.has(m))
    .map(({ served, mapped: result }): MappingCase<S> => ({
      served,
      mapped: 'record' in result ? result : { quarantine: { sourceId: result.quarantine.sourceId, reasons: result.quarantine.reasons } },
    }));
}

function write<S>(stream: Stream<S>): void {
  const fixture: MappingFixture<S> = {
    recorded: `${stream.source}, world seed ${SEED} size ${SIZE}, recorded by test/support/record-mapping-fixtures.ts`,
    cases: casesOf(stream),
  };
  const file = path.join(projectRoot, 'connectors', stream.connector, 'fixtures', `${stream.name}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  process.stdout.write(`${path.relative(projectRoot, file)}: ${fixture.cases.length} records\n`);
}

const byKey = <R>(records: readonly R[], key: (r: R) => string) => new Map(records.map((r) => [key(r), r]));

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

async function recordTransport(): Promise<void> {
  const simulator = await startTransportSimulator(world, { faults: { malformedEvery: MALFORMED_EVERY } });
  try {
    const worldRecords: Record<TransportStream, readonly object[]> = {
      licences: world.licences,
      vehicles: world.vehicles,
      practitioners: world.practitioners,
      enforcementCases: world.enforcementCases,
      weighings: world.weighings,
    };
    const variety: Partial<Record<TransportStream, (r: object) => unknown>> = {
      licences: (r) => (r as { status: string }).status,
      vehicles: (r) => (r as { plateColor: string }).plateColor,
      // An ID number ending in the check character X among them: the hub keys practitioners by the upper-case form.
      practitioners: (r) => `${(r as { status: string }).status} ${(r as { idNumber: string }).idNumber.endsWith('X')}`,
      enforcementCases: (r) => (r as { status: string }).status,
    };
    for (const name of Object.keys(TRANSPORT_STREAMS) as TransportStream[]) {
      const origins = byKey(worldRecords[name], (r) => TRANSPORT_STREAMS[name](r as Record<string, unknown>));
      const headers = { authorization: `Bearer ${simulator.token}` };
      const page = await getJson<{ items: TransportSourceRecord[] }>(`${simulator.url}/api/v1/${name}?limit=1000`, headers);
      write<TransportSourceRecord>({
        connector: 'transport',
        name,
        source: `GET /api/v1/${name} of the transport simulator (malformedEvery ${MALFORMED_EVERY})`,
        served: page.items,
        map: (served) => mapTransportRecord(name, served),
        origin: (served) => origins.get(served.id),
        variety: variety[name],
      });
    }
  } finally {
    await simulator.close();
  }
}

async function recordRegistry(): Promise<void> {
  const simulator = await startRegistrySimulator(world);
  simulator.setFaults({ malformedEvery: MALFORMED_EVERY });
  try {
    const enterprises = await getJson<{ rows: RegistryEnterprise[] }>(`${simulator.url}/registry/enterprises?page=1&size=500`);
    const enterpriseOrigins = byKey(world.enterprises, (e) => e.uscc);
    write<RegistryEnterprise>({
      connector: 'market-registry',
      name: 'enterprises',
      source: `GET /registry/enterprises of the registry simulator (malformedEvery ${MALFORMED_EVERY})`,
      served: enterprises.rows,
      map: mapRegistryEnterprise,
      origin: (served) => enterpriseOrigins.get(served.tyshxydm),
      variety: (r) => (r as { status: string }).status,
    });
    const abnormal = await getJson<{ rows: RegistryAbnormal[] }>(`${simulator.url}/registry/abnormalOperations?page=1&size=500`);
    const abnormalOrigins = byKey(world.abnormalOperations, (a) => a.sourceId);
    write<RegistryAbnormal>({
      connector: 'market-registry',
      name: 'abnormalOperations',
      source: `GET /registry/abnormalOperations of the registry simulator (malformedEvery ${MALFORMED_EVERY})`,
      served: abnormal.rows,
      map: mapRegistryAbnormal,
      origin: (served) => abnormalOrigins.get(served.id),
      variety: (r) => (r as { removedOn: string | null }).removedOn === null,
    });
  } finally {
    await simulator.close();
  }
}

async function recordCredit(): Promise<void> {
  const simulator = await startCreditSimulator(world);
  simulator.setFaults({ malformedEvery: MALFORMED_EVERY });
  const headers = { 'x-api-key': simulator.apiKey };
  try {
    const ratings = await getJson<{ data: { list: PlatformRating[] } }>(`${simulator.url}/open/credit/ratings?limit=1000`, headers);
    const ratingOrigins = byKey(world.creditRatings, (r) => r.sourceId);
    write<PlatformRating>({
      connector: 'credit-platform',
      name: 'ratings',
      source: `GET /open/credit/ratings of the credit simulator (malformedEvery ${MALFORMED_EVERY})`,
      served: ratings.data.list,
      map: mapPlatformRating,
      origin: (served) => ratingOrigins.get(served.pjbh),
      variety: (r) => (r as { grade: string }).grade,
    });
    const entries = await getJson<{ data: { list: PlatformListEntry[] } }>(`${simulator.url}/open/credit/listEntries?limit=1000`, headers);
    const entryOrigins = byKey(world.creditListEntries, (e) => e.sourceId);
    write<PlatformListEntry>({
      connector: 'credit-platform',
      name: 'listEntries',
      source: `GET /open/credit/listEntries of the credit simulator (malformedEvery ${MALFORMED_EVERY})`,
      served: entries.data.list,
      map: mapPlatformListEntry,
      origin: (served) => entryOrigins.get(served.mdbh),
      variety: (r) => (r as { listType: string }).listType,
    });
  } finally {
    await simulator.close();
  }
}

async function recordExchange(): Promise<void> {
  const server = loadConfig().databaseUrl;
  if (!server) throw new Error('DATABASE_URL must name a PostgreSQL server: the exchange simulator writes its tables there');
  const url = new URL(server);
  url.pathname = `/xietong_fixtures_${process.pid}`;
  await ensureDatabase(url.toString());
  const simulator = await startExchangeSimulator(world, url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 1 });
  try {
    const firstDay: CaptureRecord[] = world.captures().next().value ?? [];
    // Written in the world's order into a fresh exchange: its serials are the world's.
    simulator.setFaults({ malformedEvery: 4 });
    await simulator.writeCaptures(firstDay.slice(0, 40));
    // The rows as the connector reads them (exchange-connector.ts: `xh::text`, times as Beijing wall-clock text).
    const { rows: captures } = await pool.query<CaptureRow>(`select xh::text as xh, kkbh, hphm, hpys, to_char(jgsj, 'YYYY-MM-DD HH24:MI:SS') as jgsj,
      fxbh, cdh, clsd, tpurl from ${EXCHANGE_SCHEMA}.gcjl order by xh`);
    const captureOrigins = byKey(firstDay, (c) => c.imageRef);
    write<CaptureRow>({
      connector: 'checkpoint-exchange',
      name: 'captures',
      source: `table ${EXCHANGE_SCHEMA}.gcjl as the exchange simulator writes it (malformedEvery 4)`,
      served: captures,
      map: (row) => mapCaptureRow(row, NOW),
      origin: (row) => captureOrigins.get(row.tpurl),
      variety: (r) => (r as { plateColor: string }).plateColor,
      // One of each of the simulator's four kinds of bad capture.
      keepMalformed: 4,
    });
    const { rows: checkpoints } = await pool.query<CheckpointRow>(`select kkbh, kkmc, dlmc, fxbh, jd, wd, xzqh, to_char(gxsj, 'YYYY-MM-DD HH24:MI:SS') as gxsj
      from ${EXCHANGE_SCHEMA}.kkxx order by kkbh`);
    const checkpointOrigins = byKey(world.checkpoints, (c) => c.code);
    write<CheckpointRow>({
      connector: 'checkpoint-exchange',
      name: 'checkpoints',
      source: `table ${EXCHANGE_SCHEMA}.kkxx as the exchange simulator writes it`,
      served: checkpoints,
      map: mapCheckpointRow,
      origin: (row) => checkpointOrigins.get(row.kkbh),
      variety: (r) => (r as { direction: string }).direction,
    });
  } finally {
    await pool.end();
    await simulator.close();
    await dropDatabase(url.toString());
  }
}

async function main(): Promise<void> {
  await recordTransport();
  await recordRegistry();
  await recordCredit();
  await recordExchange();
}

main().catch((error: unknown) => {
  process.stderr.write(`recording failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
