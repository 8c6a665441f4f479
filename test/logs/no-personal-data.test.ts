import type { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { startDemoUpstream, type DemoUpstream } from '../../src/demo/upstream/demo-upstream';
import { knownStreams } from '../../src/sync/stream-tables';
import { startSyncRuntime, type SyncRuntime } from '../../src/sync/sync-runtime';
import { execute } from '../support/graphql-client';
import { ownerPool } from '../support/owner-pool';
import { personalDataIn } from '../support/personal-data-scan';
import { ALL_SEEING_OFFICER, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Nothing personal in logs: a hub and its sync workers, logging at debug, go through a broad mix
 * (every stream synced from simulators serving malformed records, rate limits and server errors;
 * quarantined records retried; reads by plate and ID number, in variables, literals, purposes,
 * case numbers, tokens, paths and query strings; refusals at every step; an internal error; an
 * audit that cannot be written), and the log they wrote holds none of the world's plates, resident
 * ID numbers, phone numbers or names. The end of every test run scans the whole run's log the
 * same way (test/support/global-teardown.ts).
 */

const ADMIN: TestCaller = { agency: 'suzhou-transport', roles: ['administrator'], purpose: 'hub-operations' };

let t: TestHub;
let upstream: DemoUpstream;
let runtime: SyncRuntime;
let owner: Pool;
beforeAll(async () => {
  t = await startTestHub('logs_personal');
  owner = ownerPool(t.hub.db.url);
  upstream = await startDemoUpstream(t.world, t.hub.db.url, {
    transport: { malformedEvery: 4, serverErrorEvery: 7 },
    registry: { malformedEvery: 5, repeatAcrossPages: true },
    credit: { malformedEvery: 6, rateLimitEvery: 9, retryAfterSeconds: 1 },
    exchange: { malformedEvery: 11, lateEvery: 3 },
  });
  runtime = await startSyncRuntime({ ...loadConfig({ DATABASE_URL: t.hub.db.url }), upstream: upstream.upstream }, t.hub.db, t.logger, { schedule: false });
}, 120_000);
afterAll(async () => {
  await runtime?.close();
  await upstream?.close();
  await owner?.end();
  await t?.close();
});

const TRIGGER =
  'mutation Trigger($system: SourceSystem!, $stream: String!, $mode: SyncMode!) { triggerSync(system: $system, stream: $stream, mode: $mode) { run { id } } }';
const RETRY = 'mutation Retry($system: SourceSystem!, $stream: String!) { retryQuarantined(system: $system, stream: $stream) { run { id } } }';

async function untilFinished(runIds: string[]): Promise<void> {
  for (const deadline = Date.now() + 150_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const { rows } = await t.hub.db.pool.query<{ n: number }>(
      `select count(*)::int as n from sync_run where id = any($1::bigint[]) and status in ('QUEUED', 'RUNNING')`,
      [runIds],
    );
    if (rows[0].n === 0) return;
  }
  throw new Error('sync runs did not finish within 150 s');
}

const post = async (headers: Record<string, string>, body: string) =>
  (await fetch(t.hub.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body })).status;

describe('the log of a hub and its workers', () => {
  it('holds none of the world’s plates, ID numbers, phones or names after syncs, reads, refusals and errors at debug', async () => {
    const vehicle = t.world.vehicles[0];
    const practitioner = t.world.practitioners[0];
    const officer = await t.headersAs(ALL_SEEING_OFFICER);

    // Every stream of every system, from simulators with faults: batches, quarantine, retries.
    const runIds: string[] = [];
    for (const { system, streams } of knownStreams()) {
      for (const stream of streams) {
        const mode = system === 'MARKET_REGISTRY' ? 'FULL' : 'INCREMENTAL';
        const triggered = await execute<{ triggerSync: { run: { id: string } } }, unknown>(
          t.hub.graphqlUrl,
          TRIGGER,
          { system, stream, mode },
          await t.headersAs(ADMIN),
        );
        expect(triggered.errors).toBeUndefined();
        runIds.push(triggered.data!.triggerSync.run.id);
      }
    }
    await untilFinished(runIds);
    const retried = await execute<{ retryQuarantined: { run: { id: string } | null } }, unknown>(
      t.hub.graphqlUrl,
      RETRY,
      { system: 'TRANSPORT', stream: 'vehicles' },
      await t.headersAs(ADMIN),
    );
    expect(retried.errors).toBeUndefined();
    if (retried.data!.retryQuarantined.run) await untilFinished([retried.data!.retryQuarantined.run.id]);

    // Reads by personal values: in variables, in literals, a practitioner's name and phone returned.
    const byPlate = 'query V($p: String!, $c: PlateColor!) { vehicle(plateNumber: $p, plateColor: $c) { plateNumber ownerUscc } }';
    expect((await execute(t.hub.graphqlUrl, byPlate, { p: vehicle.plateNumber, c: vehicle.plateColor })).status).toBe(200);
    expect(
      (await execute(t.hub.graphqlUrl, `{ vehicle(plateNumber: "${vehicle.plateNumber}", plateColor: ${vehicle.plateColor}) { plateNumber } }`)).status,
    ).toBe(200);
    await execute(t.hub.graphqlUrl, `{ practitioner(idNumber: "${practitioner.idNumber}") { name phone idNumber } }`);
    await execute(t.hub.graphqlUrl, byPlate, { p: `${vehicle.plateNumber}X`, c: vehicle.plateColor });

    // Refused: a plate as the purpose, an ID number as the case number and as the token; a plate
    // in a path, in a query string, in a body that is not JSON and in one that is too large.
    await post(
      officer,
      JSON.stringify({ query: byPlate, variables: { p: vehicle.plateNumber, c: vehicle.plateColor }, extensions: { purpose: vehicle.plateNumber } }),
    );
    await post({ ...officer, 'x-case-number': encodeURIComponent(practitioner.idNumber) }, JSON.stringify({ query: '{ __typename }' }));
    expect(await post({ authorization: `Bearer ${practitioner.idNumber}` }, JSON.stringify({ query: '{ __typename }' }))).toBe(401);
    expect((await fetch(`${t.hub.url}/vehicles/${encodeURIComponent(vehicle.plateNumber)}`)).status).toBe(404);
    await fetch(`${t.hub.graphqlUrl}?query=${encodeURIComponent(`{ vehicle(plateNumber: "${vehicle.plateNumber}", plateColor: BLUE) { plateNumber } }`)}`, {
      headers: { ...officer, accept: 'application/json' },
    });
    expect(await post(officer, `{"query": "${vehicle.plateNumber}`)).toBe(400);
    expect(await post(officer, JSON.stringify({ query: '{ __typename }', variables: { p: vehicle.plateNumber.repeat(200_000) } }))).toBe(413);
    const token = await fetch(`${t.hub.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: practitioner.idNumber, scope: `role:${practitioner.name}` }).toString(),
    });
    expect(token.status).toBeGreaterThanOrEqual(400);

    // Failures inside: the driver's error for a read by ID number, and an audit that cannot be written.
    await owner.query('alter table practitioner rename to practitioner_gone');
    try {
      await execute(t.hub.graphqlUrl, 'query P($id: String!) { practitioner(idNumber: $id) { name } }', { id: practitioner.idNumber });
    } finally {
      await owner.query('alter table practitioner_gone rename to practitioner');
    }
    await owner.query('alter table audit_event rename to audit_event_off');
    try {
      expect((await execute(t.hub.graphqlUrl, byPlate, { p: vehicle.plateNumber, c: vehicle.plateColor })).status).toBe(503);
    } finally {
      await owner.query('alter table audit_event_off rename to audit_event');
    }

    // The mix happened, and was logged...
    const entries = t.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = new Set(entries.map((e) => e.msg));
    for (const msg of ['sync run started', 'sync batch committed', 'sync run finished', 'request', 'internal error', 'audit append failed'])
      expect(messages).toContain(msg);
    expect(entries.some((e) => e.msg === 'sync batch committed' && Number(e.quarantined) > 0)).toBe(true);
    const statuses = new Set(entries.filter((e) => e.msg === 'request').map((e) => e.status));
    for (const status of [200, 400, 401, 403, 404, 413, 503]) expect(statuses).toContain(status);
    // ...without a plate, an ID number, a phone or a name of the world in it.
    expect(personalDataIn(t.lines.join('\n'), [t.world])).toEqual([]);
  }, 240_000);

  it('the scan finds each kind it looks for (or the test above could not fail)', () => {
    const practitioner = t.world.practitioners.find((p) => p.phone)!;
    const vehicle = t.world.vehicles[0];
    const log = [
      JSON.stringify({ msg: 'synced', vehicle: vehicle.plateNumber }),
      JSON.stringify({ msg: 'read', who: practitioner.idNumber }),
      JSON.stringify({ msg: 'called', number: practitioner.phone }),
      JSON.stringify({ msg: `hello ${practitioner.name}` }),
    ].join('\n');
    expect(personalDataIn(log, [t.world])).toEqual([
      { line: 1, kind: 'plate', value: vehicle.plateNumber },
      { line: 2, kind: 'resident ID number', value: practitioner.idNumber },
      { line: 3, kind: 'phone', value: practitioner.phone },
      { line: 4, kind: 'name', value: practitioner.name },
    ]);
    // A plate or ID number of another world (the sync tests' own) is found by its shape.
    expect(personalDataIn('{"v":"苏E7K2Q9"} {"id":"11010519491231002X"}', []).map((f) => f.kind)).toEqual(['plate', 'resident ID number']);
  });
});
