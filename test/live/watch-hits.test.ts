import fs from 'node:fs';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import type { Pool } from 'pg';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { loadConfig, projectRoot } from '../../src/config';
import { recordWatchHits } from '../../src/domains/watch';
import { ensureCapturePartitions, insertCaptures } from '../../src/ingest/insert-captures';
import { commitCaptureBatch } from '../../src/sync/commit-capture-batch';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { execute } from '../support/graphql-client';
import type { NodeProcess } from '../support/node-process';
import { startOtherHub, subscribeLive } from '../support/live-subscriber';
import { ownerPool } from '../support/owner-pool';
import { runXietong } from '../support/run-xietong';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Watch lists and live alerts, end to end: a police case officer sets a watch over HTTP on one hub
 * process; a subscriber on another hub process (the compiled hub, `dist/src/main.js`) hears of a
 * capture of the plate committed through the sync's capture batch within 2 s, on each bus
 * (PostgreSQL NOTIFY; Redis pub/sub). Typed refusals change nothing; a revoked token's
 * connection is closed with 4401; deliveries are masked by the subscriber's agreement and audited.
 */

const POLICE: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'wang.fang', purpose: 'case-investigation' };
const ADD = `mutation Add($plate: String!, $color: PlateColor!, $reason: String!, $case: String, $until: DateTime!) {
  addWatch(plateNumber: $plate, plateColor: $color, reason: $reason, caseNumber: $case, expiresAt: $until) { id plateNumber plateColor caseNumber ownerAgency removedAt } }`;
const REMOVE = `mutation Remove($id: String!) { removeWatch(id: $id) { id removedAt } }`;
const LIST = `query { watches { edges { node { id plateNumber } } } }`;
const HITS = `subscription Hits { watchHits { plateNumber plateColor checkpointCode division reason caseNumber } }`;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

// PostgreSQL always; Redis when REDIS_URL is set (global setup says so when it is not).
const redisUrl = loadConfig().redisUrl;
const buses = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);

for (const bus of buses) {
  describe(`watch hits over ${bus}`, () => {
    let t: TestHub;
    let owner: Pool;
    let other: NodeProcess;
    let otherUrl: string;
    let serial = 900_000_000;
    const env: Record<string, string> = bus === 'redis' ? { REDIS_URL: redisUrl!, QUEUE_PREFIX: `live_test_${process.pid}` } : {};
    const clients: Client[] = [];

    beforeAll(async () => {
      t = await startTestHub(`watch_live_${bus}`, {
        size: 0.005,
        env: { ...env, HUB_EVENT_POLL_MS: '1000', LIVE_QUEUE_LIMIT: '2', LIVE_DELIVERIES_PER_SECOND: '1' },
      });
      owner = ownerPool(t.hub.db.url);
      ({ process: other, graphqlUrl: otherUrl } = await startOtherHub(t.hub.db.url, env));
    }, 180_000);
    afterAll(async () => {
      for (const client of clients) await client.dispose();
      await other?.stop();
      await owner?.end();
      await t?.close();
    });

    const call = async <R>(document: string, variables: Record<string, unknown>, caller: TestCaller = POLICE) =>
      execute<R, unknown>(t.hub.graphqlUrl, document, variables, await t.headersAs(caller));

    /** A graphql-ws client on the other process (or `url`), as `caller` (or with `token`). */
    async function subscribe(caller: TestCaller, query = HITS, token?: string, url = otherUrl, variables: Record<string, unknown> = {}) {
      const authorization = token ?? (await t.headersAs(caller)).authorization;
      return subscribeLive(clients, url, authorization, caller.purpose, query, variables);
    }

    const subscribeWith = (caller: TestCaller, query: string, variables: Record<string, unknown>) => subscribe(caller, query, undefined, otherUrl, variables);

    async function commitCaptures(captures: CaptureRecord[]): Promise<number> {
      const { rows } = await owner.query<{ version: string }>(`select version from sync_stream where system = 'CHECKPOINT_EXCHANGE' and stream = 'captures'`);
      await commitCaptureBatch(t.hub.db.pool, { system: 'CHECKPOINT_EXCHANGE', stream: 'captures' } as never, {
        captures,
        quarantine: [],
        cursor: { serial: captures[captures.length - 1].serial },
        expectedVersion: Number(rows[0]?.version ?? 0),
        runId: null,
      });
      return Date.now();
    }

    /**
     * Open cases of the world that name a vehicle, each with that vehicle, the `n`th of them; those
     * the police use are transferred to them (what the police hold), as in test/access/case-scope.test.ts.
     */
    const casesNaming = () =>
      t.world.enforcementCases
        .filter((c) => c.status !== 'CLOSED' && c.vehiclePlateNumber)
        .map((c) => ({ case: c, vehicle: t.world.vehicles.find((v) => v.plateNumber === c.vehiclePlateNumber && v.plateColor === c.vehiclePlateColor)! }))
        .filter((c) => c.vehicle);
    async function policeCase(n: number) {
      const found = casesNaming()[n];
      await owner.query('update enforcement_case set transferred_to_police = true where case_number = $1', [found.case.caseNumber]);
      return found;
    }
    async function transportCase(n: number) {
      const found = casesNaming()[n];
      await owner.query('update enforcement_case set transferred_to_police = false where case_number = $1', [found.case.caseNumber]);
      return found;
    }
    const deliveriesOf = async (operationName: string) =>
      (
        await owner.query<{ agency: string; sources: Record<string, number> }>(
          `select content->>'agency' as agency, content->'sources' as sources from audit_event where content->>'operationName' = $1 order by seq`,
          [operationName],
        )
      ).rows;

    const captureOf = (plateNumber: string, plateColor: string, checkpointCode: string): CaptureRecord => ({
      serial: ++serial,
      checkpointCode,
      plateNumber,
      plateColor: plateColor as CaptureRecord['plateColor'],
      capturedAt: new Date().toISOString(),
      direction: 'INBOUND' as CaptureRecord['direction'],
      lane: 1,
      speedKmh: 60,
      imageRef: 'img/test',
    });

    it('refuses a bad plate, a past or too distant expiry and (under the police agreement) a missing case number, changing nothing', async () => {
      const vehicle = t.world.vehicles[0];
      const base = { plate: vehicle.plateNumber, color: vehicle.plateColor, reason: '涉嫌套牌', case: 'SZGA-2026-TEST-1', until: inDays(7) };
      const count = async () => Number((await owner.query<{ n: string }>('select count(*) as n from watch')).rows[0].n);
      const before = await count();
      const cases: Array<[Record<string, unknown>, string, string | null]> = [
        [{ ...base, plate: 'XX123' }, 'BAD_USER_INPUT', 'plateNumber'],
        [{ ...base, until: inDays(-1) }, 'BAD_USER_INPUT', 'expiresAt'],
        [{ ...base, until: inDays(400) }, 'BAD_USER_INPUT', 'expiresAt'],
        [{ ...base, case: null }, 'CASE_REQUIRED', null],
      ];
      for (const [variables, code, argument] of cases) {
        const reply = await call(ADD, variables);
        expect(reply.errors?.[0].extensions).toMatchObject({ code, ...(argument ? { argument } : {}) });
        expect(reply.raw).not.toMatch(/select |insert |stack/i);
      }
      expect(await count()).toBe(before);
      // An analyst's agreement grants no watches at all.
      const analyst = await call(ADD, base, { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' });
      expect(analyst.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect(await count()).toBe(before);
    });

    it('binds a watch to an open case the caller holds naming the plate, and refuses any other, changing nothing', async () => {
      const { case: held, vehicle } = await policeCase(0);
      const other = casesNaming()[1];
      const count = async () => Number((await owner.query<{ n: string }>('select count(*) as n from watch')).rows[0].n);
      const before = await count();
      const base = { plate: vehicle.plateNumber, color: vehicle.plateColor, reason: '涉嫌套牌', case: held.caseNumber, until: inDays(7) };
      // A case that does not exist, one the police do not hold, one about another vehicle.
      expect((await call(ADD, { ...base, case: 'SZGA-2026-TEST-2' })).errors?.[0].extensions).toMatchObject({ code: 'CASE_NOT_VALID' });
      await owner.query('update enforcement_case set transferred_to_police = false where case_number = $1', [other.case.caseNumber]);
      expect(
        (await call(ADD, { ...base, plate: other.vehicle.plateNumber, color: other.vehicle.plateColor, case: other.case.caseNumber })).errors?.[0].extensions,
      ).toMatchObject({
        code: 'CASE_NOT_VALID',
      });
      await owner.query('update enforcement_case set transferred_to_police = true where case_number = $1', [other.case.caseNumber]);
      expect((await call(ADD, { ...base, case: other.case.caseNumber })).errors?.[0].extensions).toMatchObject({ code: 'CASE_SCOPE' });
      // A transport officer is shown capture times and places through hits too: no case, no watch.
      const transport: TestCaller = { agency: 'suzhou-transport', roles: ['officer'], subject: 'li.na', divisions: ['3205'], purpose: 'random-inspection' };
      expect((await call(ADD, { ...base, case: null }, transport)).errors?.[0].extensions).toMatchObject({ code: 'CASE_REQUIRED' });
      expect(await count()).toBe(before);
      await owner.query('update enforcement_case set transferred_to_police = false where case_number = $1', [other.case.caseNumber]);
    });

    it('records the hit of a capture whose batch looked at the watches before the watch was set and committed after it', async () => {
      const { case: held, vehicle } = await policeCase(3);
      // Captured a little after the watch's start, in a batch that is between its look at the
      // watches and its commit while the watch is set.
      const capture = {
        ...captureOf(vehicle.plateNumber, vehicle.plateColor, t.world.checkpoints[0].code),
        capturedAt: new Date(Date.now() + 1500).toISOString(),
      };
      await ensureCapturePartitions(t.hub.db.pool, [capture]);
      const batch = await t.hub.db.pool.connect();
      let watchId: string;
      try {
        await batch.query('begin');
        await insertCaptures(batch, [capture], new Date());
        expect(await recordWatchHits(batch, [capture], new Date())).toBe(0);
        let settled = false;
        const adding = call<{ addWatch: { id: string } }>(ADD, {
          plate: vehicle.plateNumber,
          color: vehicle.plateColor,
          reason: '涉嫌套牌',
          case: held.caseNumber,
          until: inDays(7),
        }).finally(() => (settled = true));
        await new Promise((r) => setTimeout(r, 500));
        // The watch waits for the batch: had it committed first, the batch would commit a capture no one looks at again.
        expect(settled).toBe(false);
        await batch.query('commit');
        const added = await adding;
        expect(added.errors).toBeUndefined();
        watchId = added.data!.addWatch.id;
      } finally {
        await batch.query('rollback').catch(() => undefined);
        batch.release();
      }
      const hits = await owner.query<{ capture_serial: string }>('select capture_serial from watch_hit where watch_id = $1', [watchId]);
      expect(hits.rows.map((r) => Number(r.capture_serial))).toEqual([capture.serial]);
      // The same capture in a replayed batch is no second hit.
      await commitCaptures([capture]);
      expect((await owner.query('select 1 from watch_hit where watch_id = $1', [watchId])).rowCount).toBe(1);
      await call(REMOVE, { id: watchId });
      // A later test's watch on the plate starts after this capture, so it is no hit of theirs.
      while (Date.now() <= Date.parse(capture.capturedAt)) await new Promise((r) => setTimeout(r, 50));
    });

    it('notifies the owner agency on the other hub process of a watched capture within 2 s, no other agency, credits and audits each delivery', async () => {
      const { case: held, vehicle } = await policeCase(0);
      const checkpoint = t.world.checkpoints[0];
      const added = await call<{ addWatch: { id: string; ownerAgency: string; caseNumber: string } }>(ADD, {
        plate: vehicle.plateNumber,
        color: vehicle.plateColor,
        reason: '涉嫌非法营运',
        case: held.caseNumber,
        until: inDays(7),
      });
      expect(added.errors).toBeUndefined();
      expect(added.data!.addWatch).toMatchObject({ ownerAgency: 'suzhou-psb', caseNumber: held.caseNumber });
      const listed = await call<{ watches: { edges: Array<{ node: { id: string } }> } }>(LIST, {});
      expect(listed.data!.watches.edges.map((e) => e.node.id)).toContain(added.data!.addWatch.id);

      // The owner, and a police officer of the checkpoint's division.
      const police = await subscribe(POLICE);
      const policeOfDivision = await subscribe({ ...POLICE, subject: 'sun.li', divisions: [checkpoint.divisionCode] });
      // A transport officer of the checkpoint's division hears nothing of a police watch.
      const districtOfficer: TestCaller = {
        agency: 'suzhou-transport',
        roles: ['officer'],
        subject: 'li.na',
        divisions: [checkpoint.divisionCode],
        purpose: 'random-inspection',
      };
      const transport = await subscribe(districtOfficer);
      // A police officer of another province's division hears nothing of it.
      const elsewhere = await subscribe({ ...POLICE, subject: 'zhao.lei', divisions: ['11'] });
      const audited = (await deliveriesOf('Hits')).length;

      const committedAt = await commitCaptures([
        captureOf(vehicle.plateNumber, vehicle.plateColor, checkpoint.code),
        captureOf(t.world.vehicles[2].plateNumber, t.world.vehicles[2].plateColor, checkpoint.code),
      ]);
      const deadline = Date.now() + 5000;
      while ((police.received.length === 0 || policeOfDivision.received.length === 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));

      expect(police.received).toHaveLength(1);
      expect(police.received[0].at - committedAt).toBeLessThanOrEqual(2000);
      const hit = {
        plateNumber: vehicle.plateNumber,
        plateColor: vehicle.plateColor,
        checkpointCode: checkpoint.code,
        division: checkpoint.divisionCode,
        reason: '涉嫌非法营运',
        caseNumber: held.caseNumber,
      };
      expect(police.received[0].data).toEqual({ watchHits: hit });
      expect(policeOfDivision.received.map((r) => r.data)).toEqual([{ watchHits: hit }]);
      await new Promise((r) => setTimeout(r, 1000));
      expect(transport.received).toHaveLength(0);
      expect(elsewhere.received).toHaveLength(0);
      // The hit was stored with its capture.
      expect((await owner.query(`select 1 from watch_hit where watch_id = $1`, [added.data!.addWatch.id])).rowCount).toBe(1);
      // One audit event per delivery (two subscribers told), each a read of the police's captures.
      const deliveries = (await deliveriesOf('Hits')).slice(audited);
      expect(deliveries).toHaveLength(2);
      for (const d of deliveries) expect(d).toMatchObject({ agency: 'suzhou-psb', sources: { 'suzhou-psb': 1 } });

      // Closed, the case no longer shows the vehicle's captures: its hits are not told.
      await owner.query(`update enforcement_case set status = 'CLOSED' where case_number = $1`, [held.caseNumber]);
      await commitCaptures([captureOf(vehicle.plateNumber, vehicle.plateColor, checkpoint.code)]);
      await new Promise((r) => setTimeout(r, 2500));
      expect(police.received).toHaveLength(1);
      await owner.query(`update enforcement_case set status = $2 where case_number = $1`, [held.caseNumber, held.status]);

      // Another agency cannot remove it: to it the watch is not there.
      const foreign = await call(REMOVE, { id: added.data!.addWatch.id }, districtOfficer);
      expect(foreign.errors?.[0].extensions?.code).toBe('NOT_FOUND');
      // Removed, the watch's plate is no hit any more.
      const removed = await call<{ removeWatch: { removedAt: string | null } }>(REMOVE, { id: added.data!.addWatch.id });
      expect(removed.data!.removeWatch.removedAt).not.toBeNull();
      expect((await call(REMOVE, { id: added.data!.addWatch.id })).errors?.[0].extensions?.code).toBe('ILLEGAL_TRANSITION');
      await commitCaptures([captureOf(vehicle.plateNumber, vehicle.plateColor, checkpoint.code)]);
      await new Promise((r) => setTimeout(r, 1500));
      expect(police.received).toHaveLength(1);
    });

    it("tells a transport watch's hits to the transport officers of the division, not to the police's, credited to the police", async () => {
      const { case: held, vehicle } = await transportCase(2);
      const checkpoint = t.world.checkpoints[0];
      const officer: TestCaller = {
        agency: 'suzhou-transport',
        roles: ['officer'],
        subject: 'zhou.min',
        divisions: [checkpoint.divisionCode, held.divisionCode],
        purpose: 'random-inspection',
      };
      const added = await call<{ addWatch: { id: string } }>(
        ADD,
        { plate: vehicle.plateNumber, color: vehicle.plateColor, reason: '超限运输', case: held.caseNumber, until: inDays(3) },
        officer,
      );
      expect(added.errors).toBeUndefined();
      const transport = await subscribe(officer, `subscription TransportHits { watchHits { plateNumber caseNumber reason } }`);
      const police = await subscribe({ ...POLICE, subject: 'wu.gang', divisions: [checkpoint.divisionCode] });
      const audited = (await deliveriesOf('TransportHits')).length;
      await commitCaptures([captureOf(vehicle.plateNumber, vehicle.plateColor, checkpoint.code)]);
      const deadline = Date.now() + 5000;
      while (transport.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(transport.received.map((r) => r.data)).toEqual([
        { watchHits: { plateNumber: vehicle.plateNumber, caseNumber: held.caseNumber, reason: expect.any(String) } },
      ]);
      await new Promise((r) => setTimeout(r, 1000));
      expect(police.received).toHaveLength(0);
      const deliveries = (await deliveriesOf('TransportHits')).slice(audited);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ agency: 'suzhou-transport', sources: { 'suzhou-psb': 1 } });
      expect((await call(REMOVE, { id: added.data!.addWatch.id }, officer)).errors).toBeUndefined();
    });

    it('tells an officer live of a clue moved in its division, read under its agreement, and nothing of other divisions', async () => {
      await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile));
      const { rows } = await owner.query<{ id: string; division: string; kind: string }>(
        `select id, division, kind from clue where deleted_at is null and status = 'OPEN' order by id limit 1`,
      );
      expect(rows).toHaveLength(1);
      const [clue] = rows;
      const officer: TestCaller = {
        agency: 'suzhou-transport',
        roles: ['officer'],
        subject: 'chen.jie',
        divisions: [clue.division],
        purpose: 'random-inspection',
      };
      const query = `subscription Clues($division: String!) { clueRaised(division: $division) { id kind status division } }`;
      const mine = await subscribeWith(officer, query, { division: clue.division.slice(0, 4) });
      const otherKind = await subscribeWith(
        officer,
        `subscription { clueRaised(division: "${clue.division}", kinds: [${clue.kind === 'OVERLOAD' ? 'CLONED_PLATE' : 'OVERLOAD'}]) { id } }`,
        {},
      );
      const since = Date.now();
      const assigned = await call(`mutation { assignClue(id: "${clue.id}", to: "chen.jie@${clue.division}") { status } }`, {}, officer);
      expect(assigned.errors).toBeUndefined();
      const deadline = Date.now() + 5000;
      while (mine.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(mine.received[0].data).toEqual({ clueRaised: { id: clue.id, kind: clue.kind, status: 'ASSIGNED', division: clue.division } });
      expect(mine.received[0].at - since).toBeLessThanOrEqual(2000);
      await new Promise((r) => setTimeout(r, 500));
      expect(otherKind.received).toHaveLength(0);
      // A bad division is a typed error when subscribing.
      const bad = await subscribeWith(officer, `subscription { clueRaised(division: "x") { id } }`, {});
      expect(bad.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    });

    it('refuses a subscription over HTTP and one the agreement does not grant', async () => {
      const http = await call(HITS, {});
      expect(http.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
      const analyst = await subscribeWith({ agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' }, HITS, {});
      expect(analyst.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    });

    it('closes a subscriber that falls behind its bounded queue, with 4429 and the reason', async () => {
      // The in-process hub runs with LIVE_QUEUE_LIMIT 2 and one delivery a second.
      const { case: held, vehicle } = await policeCase(3);
      const checkpoint = t.world.checkpoints[1];
      const added = await call<{ addWatch: { id: string } }>(ADD, {
        plate: vehicle.plateNumber,
        color: vehicle.plateColor,
        reason: '测试',
        case: held.caseNumber,
        until: inDays(1),
      });
      expect(added.errors).toBeUndefined();
      const slow = await subscribe(POLICE, HITS, undefined, t.hub.graphqlUrl);
      await commitCaptures(Array.from({ length: 8 }, () => captureOf(vehicle.plateNumber, vehicle.plateColor, checkpoint.code)));
      const deadline = Date.now() + 5000;
      while (!slow.closed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(slow.closed()).toMatchObject({ code: 4429, reason: expect.stringContaining('more than 2 events waiting') });
    });

    it("runs the README's addWatch and subscription examples as written", async () => {
      const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
      const section = readme.slice(readme.indexOf('## Watch lists and live alerts'), readme.indexOf('## Endpoints'));
      const blocks = (tag: string) => [...section.matchAll(new RegExp('```' + tag + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1].trim());
      const [mutation, subscription] = blocks('gql');
      const [added, delivered] = blocks('json').map((text) => JSON.parse(text) as { data: Record<string, Record<string, unknown>> });
      expect(mutation.split('\n')[0]).toBe('# as suzhou-psb case-officer, purpose case-investigation');
      expect(subscription.split('\n')[0]).toBe(mutation.split('\n')[0]);
      // The README's case is the demo world's, held by the police and about the plate it watches: one
      // of this world's open cases stands in for it.
      const readmeCase = added.data.addWatch;
      await owner.query(
        `update enforcement_case set case_number = $2, vehicle_plate_number = $3, vehicle_plate_color = $4, transferred_to_police = true where case_number = $1`,
        [casesNaming()[1].case.caseNumber, readmeCase.caseNumber, readmeCase.plateNumber, readmeCase.plateColor],
      );
      const reply = await call(mutation, { expiresAt: inDays(30) });
      expect({ data: reply.data }).toEqual(added);
      // The officer who set the watch hears of its hits.
      const sub = await subscribe(POLICE, subscription);
      const hit = delivered.data.watchHits;
      await commitCaptures([captureOf(String(hit.plateNumber), String(hit.plateColor), String(hit.checkpointCode))]);
      const deadline = Date.now() + 5000;
      while (sub.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(sub.received.map(({ at: _at, ...message }) => message)).toEqual([delivered]);
    });

    it('refuses a connection whose token does not verify, with close code 4401 and the reason', async () => {
      const sub = await subscribe(POLICE, HITS, 'Bearer not-a-token');
      expect(sub.closed()).toEqual({ code: 4401, reason: 'Unauthorized: MALFORMED_TOKEN' });
      expect(sub.received).toHaveLength(0);
    });

    it('disconnects a subscriber when its token expires, with close code 4401', async () => {
      const caller: TestCaller = { ...POLICE, subject: 'short.lived', ttlSeconds: 3 };
      const sub = await subscribe(caller);
      const deadline = Date.now() + 6000;
      while (!sub.closed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(sub.closed()).toEqual({ code: 4401, reason: 'Unauthorized: EXPIRED' });
    });

    it('disconnects a subscriber whose token is revoked, with close code 4401', async () => {
      const caller: TestCaller = { ...POLICE, subject: 'revoked.officer' };
      // Each token minted is another (its own jti): the one the connection presents is the one revoked.
      const { authorization } = await t.headersAs(caller);
      const sub = await subscribe(caller, HITS, authorization);
      const jti = JSON.parse(Buffer.from(authorization.split('.')[1], 'base64url').toString()).jti as string;
      // As an operator revokes it: through the command, into the revocations every instance polls.
      const revoked = await runXietong(['token', 'revoke', '--jti', jti, '--by', 'test-operator'], { DATABASE_URL: t.hub.db.url });
      expect(revoked).toMatchObject({ code: 0 });
      const deadline = Date.now() + 5000;
      while (!sub.closed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(sub.closed()).toMatchObject({ code: 4401 });
    });
  });
}
