import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { contentHash } from '../../src/ingest/content-hash';
import { runStream } from '../../src/sync/run-stream';
import { streamTarget } from '../../src/sync/stream-tables';
import { ExchangeConnector } from '../../connectors/checkpoint-exchange';
import { startExchangeSimulator, type ExchangeSimulator } from '../../src/demo/upstream/exchange-simulator';
import { fillGaps, GAP_ROWS } from '../../connectors/checkpoint-exchange/exchange-connector';
import { createPartitionsAhead } from '../../src/ingest/insert-captures';
import { queueBackend } from '../../src/sync/queue-backend';
import { SyncControl } from '../../src/sync/operator';
import { VENDOR_CODE_OF, wallTime } from '../../connectors/checkpoint-exchange/exchange-format';
import { generateWorld } from '../../src/demo/world';
import { freshDatabaseUrl } from '../support/test-database';
import { ownerPool } from '../support/owner-pool';
import { blocksRead } from '../support/blocks-read';

const world = generateWorld({ seed: 31, size: 0.01 });
const captures = [...world.captures()].flat();
const captureKey = (c: {
  checkpointCode: string;
  plateNumber: string;
  plateColor: string;
  capturedAt: string | Date;
  lane: number;
  speedKmh: number;
  imageRef: string;
}) => [c.checkpointCode, c.plateNumber, c.plateColor, new Date(c.capturedAt).toISOString(), c.lane, c.speedKmh, c.imageRef].join('|');

let db: Database;
let exchange: ExchangeSimulator;
let connector: ExchangeConnector;
const ref = (stream: string) => ({ system: SourceSystem.CHECKPOINT_EXCHANGE, stream });
const sync = (stream: string) => runStream({ pool: db.pool, connector, ref: ref(stream), target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, stream)! });

async function hubCaptures(): Promise<string[]> {
  const { rows } = await db.pool.query(`select checkpoint_code as "checkpointCode", plate_number as "plateNumber", plate_color as "plateColor",
    captured_at as "capturedAt", lane, speed_kmh as "speedKmh", image_ref as "imageRef" from checkpoint_capture`);
  return rows.map(captureKey).sort();
}

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('exchange') }), entityModelOf(HUB_DOMAINS));
  // The exchange lives in its own schema of the same server, as a 前置库 does.
  exchange = await startExchangeSimulator(world, db.url);
  connector = new ExchangeConnector({ databaseUrl: db.url, batchSize: 1_000, gapWaitMs: 60_000 });
});
afterAll(async () => {
  await connector?.close();
  await exchange?.close();
  await db?.close();
  await dropDatabase(db.url);
});

describe('checkpoint exchange sync', () => {
  it('checkpoints and captures land exactly as the police system wrote them, through the bulk path', async () => {
    const half = Math.floor(captures.length / 2);
    await exchange.writeCaptures(captures.slice(0, half));
    expect(await sync('checkpoints')).toMatchObject({ status: 'SUCCEEDED', inserted: world.checkpoints.length, quarantined: 0 });
    const { rows } = await db.pool.query<{ h: string }>('select provenance_content_hash as h from checkpoint');
    expect(rows.map((r) => r.h).sort()).toEqual(world.checkpoints.map((c) => contentHash(c)).sort());
    expect(await sync('captures')).toMatchObject({ status: 'SUCCEEDED', inserted: half, quarantined: 0 });
    await exchange.writeCaptures(captures.slice(half));
    const second = await sync('captures');
    expect(second.inserted).toBe(captures.length - half);
    expect(await hubCaptures()).toEqual(captures.map(captureKey).sort());
  });

  it('picks up rows committed late with serials below rows it already read', async () => {
    const extra: CaptureRecord[] = captures.slice(0, 30).map((c, i) => ({ ...c, imageRef: `img://late/${i}.jpg` }));
    const late = await exchange.writeLate(extra.slice(0, 10));
    await exchange.writeCaptures(extra.slice(10));
    expect((await sync('captures')).inserted).toBe(20);
    await late.commit();
    expect((await sync('captures')).inserted).toBe(10);
    expect((await hubCaptures()).length).toBe(captures.length + 30);
  });

  it('waits for serials skipped over however many rows follow them, and gives up a rolled-back one after the wait', async () => {
    const extra = (tag: string, n: number): CaptureRecord[] => captures.slice(0, n).map((c, i) => ({ ...c, imageRef: `img://${tag}/${i}.jpg` }));
    const late = await exchange.writeLate(extra('late-far', 5));
    const rolledBack = await exchange.writeLate(extra('never', 3));
    // Far more rows after the late ones than any fixed look-back would cover, over several batches.
    await exchange.writeCaptures(extra('after', 2_500));
    expect((await sync('captures')).inserted).toBe(2_500);
    await rolledBack.rollback();
    await late.commit();
    const before = (await hubCaptures()).length;
    expect((await sync('captures')).inserted).toBe(5);
    expect((await hubCaptures()).length).toBe(before + 5);
    const cursor = async () =>
      (
        await db.pool.query<{ cursor: { gaps: Array<[number, number, number]> } }>(
          `select cursor from sync_stream where system = 'CHECKPOINT_EXCHANGE' and stream = 'captures'`,
        )
      ).rows[0].cursor;
    // The rolled-back serials are still awaited, and only they.
    expect((await cursor()).gaps.map(([from, to]) => to - from + 1)).toEqual([3]);
    const impatient = new ExchangeConnector({ databaseUrl: db.url, batchSize: 1_000, gapWaitMs: 0 });
    try {
      await runStream({ pool: db.pool, connector: impatient, ref: ref('captures'), target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')! });
    } finally {
      await impatient.close();
    }
    expect((await cursor()).gaps).toEqual([]);
  });

  it('a row committed late within the wait still lands when the next read comes after the wait', async () => {
    const patient = new ExchangeConnector({ databaseUrl: db.url, batchSize: 1_000, gapWaitMs: 300 });
    try {
      const extra = (tag: string, n: number): CaptureRecord[] => captures.slice(0, n).map((c, i) => ({ ...c, imageRef: `img://${tag}/${i}.jpg` }));
      const late = await exchange.writeLate(extra('late-in-wait', 5));
      await exchange.writeCaptures(extra('after-wait', 10));
      const syncWith = () =>
        runStream({
          pool: db.pool,
          connector: patient,
          ref: ref('captures'),
          target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')!,
        });
      expect((await syncWith()).inserted).toBe(10);
      await late.commit();
      // The next poll comes after the wait has passed (a long interval, a worker down a while).
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect((await syncWith()).inserted).toBe(5);
    } finally {
      await patient.close();
    }
  });

  it('reads text exactly as written, backslashes, tabs and non-ASCII included (captures are read with COPY)', async () => {
    const odd: CaptureRecord = { ...captures[0], imageRef: 'img://odd/a\\b\tc\nd 苏州 \\N.jpg' };
    await exchange.writeCaptures([odd]);
    expect((await sync('captures')).inserted).toBe(1);
    const { rows } = await db.pool.query('select image_ref from checkpoint_capture where image_ref like $1', ['img://odd/%']);
    expect(rows).toEqual([{ image_ref: odd.imageRef }]);
  });

  it('quarantines a capture in an unknown colour code and keeps the rest of its batch', async () => {
    const [a, b] = captures;
    await exchange.writeCaptures([{ ...a, imageRef: 'img://q/ok.jpg' }]);
    const owner = ownerPool(db.url);
    await owner.query(
      `insert into psb_exchange.gcjl (kkbh, hphm, hpys, jgsj, fxbh, cdh, clsd, tpurl)
      values ($1, $2, 42, '2026-10-20 10:00:00', '01', 1, 60, 'img://q/bad.jpg')`,
      [b.checkpointCode, b.plateNumber],
    );
    await owner.end();
    const run = await sync('captures');
    expect(run).toMatchObject({ inserted: 1, quarantined: 1 });
    const { rows } = await db.pool.query(`select reasons from quarantined_record where stream = 'captures'`);
    expect(rows[0].reasons).toEqual(['hpys: unknown vendor plate colour 42']);
  });

  it('retryQuarantined re-reads quarantined captures by serial, not the whole exchange', async () => {
    const [c] = captures;
    const owner = ownerPool(db.url);
    try {
      const {
        rows: [bad],
      } = await owner.query<{ xh: string }>(
        `insert into psb_exchange.gcjl (kkbh, hphm, hpys, jgsj, fxbh, cdh, clsd, tpurl)
        values ($1, $2, 43, $3, '01', 1, 60, 'img://retry/fixed.jpg') returning xh::text`,
        [c.checkpointCode, c.plateNumber, wallTime(c.capturedAt)],
      );
      await exchange.writeCaptures([{ ...c, imageRef: 'img://retry/after.jpg' }]);
      expect(await sync('captures')).toMatchObject({ inserted: 1, quarantined: 1 });
      // The police system corrects the row in place.
      await owner.query('update psb_exchange.gcjl set hpys = $2 where xh = $1', [bad.xh, VENDOR_CODE_OF[c.plateColor]]);
      const control = new SyncControl(db.pool, queueBackend({ redisUrl: null }, db.url, `xt_retry_${process.pid}`));
      try {
        const retried = await control.retryQuarantined(SourceSystem.CHECKPOINT_EXCHANGE, 'captures', 'test/admin');
        expect(retried.released).toBeGreaterThanOrEqual(1);
        const {
          rows: [run],
        } = await db.pool.query('select mode from sync_run where id = $1', [retried.runId]);
        expect(run.mode).toBe('INCREMENTAL');
        // The worker's run: it reads the serials again, and nothing else.
        const rerun = await runStream({
          pool: db.pool,
          connector,
          ref: ref('captures'),
          target: streamTarget(SourceSystem.CHECKPOINT_EXCHANGE, 'captures')!,
          mode: 'INCREMENTAL',
          queuedRunId: retried.runId,
        });
        expect(rerun).toMatchObject({ status: 'SUCCEEDED', inserted: 1 });
        expect(rerun.read).toBeLessThanOrEqual(retried.released);
      } finally {
        await control.close();
      }
      const { rows } = await db.pool.query(`select plate_color from checkpoint_capture where image_ref = 'img://retry/fixed.jpg'`);
      expect(rows).toEqual([{ plate_color: c.plateColor }]);
    } finally {
      await owner.end();
    }
  });

  it('quarantines a capture whose camera clock is far off, without creating partitions for the gap', async () => {
    const [, , c] = captures;
    const partitions = async () =>
      Number((await db.pool.query<{ n: string }>(`select count(*) as n from pg_inherits where inhparent = 'checkpoint_capture'::regclass`)).rows[0].n);
    const before = await partitions();
    const owner = ownerPool(db.url);
    await owner.query(
      `insert into psb_exchange.gcjl (kkbh, hphm, hpys, jgsj, fxbh, cdh, clsd, tpurl)
      values ($1, $2, 2, '2019-01-01 08:00:00', '01', 1, 60, 'img://q/old.jpg')`,
      [c.checkpointCode, c.plateNumber],
    );
    await owner.end();
    const run = await sync('captures');
    // The look-back reads the earlier bad row again too; it is kept once.
    expect(run.quarantined).toBeGreaterThanOrEqual(1);
    const { rows } = await db.pool.query(`select reasons from quarantined_record where stream = 'captures' order by id desc limit 1`);
    expect(rows[0].reasons).toEqual(['jgsj: "2019-01-01 08:00:00" is outside the plausible window']);
    expect(await partitions()).toBe(before);
  });
});

describe('the exchange read for awaited gaps', () => {
  it('reads awaited gaps as ranges of the serial index, not every row above the oldest', async () => {
    // Thousands of rows below a gap near the top (the file's earlier tests wrote some; these are never synced).
    await exchange.writeCaptures(captures.slice(0, 2_500).map((c, i) => ({ ...c, imageRef: `img://below-gaps/${i}.jpg` })));
    const owner = ownerPool(db.url);
    try {
      const { rows: table } = await owner.query<{ rows: string; top: string }>('select count(*)::text as rows, max(xh)::text as top from psb_exchange.gcjl');
      // Read from serial 0, as a first look at the gaps is.
      expect(Number(table[0].rows)).toBeGreaterThan(2_000);
      const top = Number(table[0].top);
      const params = [0, [top - 5, top - 1], [top - 3, top], 1_000];
      const found = await owner.query<{ xh: string }>(GAP_ROWS, params);
      expect(found.rows.map((r) => Number(r.xh))).toEqual([top - 5, top - 4, top - 3, top - 1, top]);
      // Serials are bigints: a cursor past 2^31 is a serial like any other.
      expect((await owner.query(GAP_ROWS, [3_000_000_000, [3_000_000_001], [3_000_000_005], 1_000])).rows).toEqual([]);
      expect(await blocksRead(owner, GAP_ROWS, params)).toBeLessThanOrEqual(16);
    } finally {
      await owner.end();
    }
  });
});

describe('capture partitions ahead of time', () => {
  it("creates today's partition and a week ahead, once", async () => {
    const now = new Date('2031-03-10T18:00:00Z'); // 2031-03-11 02:00 in Shanghai
    expect(await createPartitionsAhead(db.pool, now)).toBe(8);
    expect(await createPartitionsAhead(db.pool, now)).toBe(0);
    const { rows } = await db.pool.query<{ name: string }>(`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
      where i.inhparent = 'checkpoint_capture'::regclass and c.relname like 'checkpoint_capture_p2031%' order by 1`);
    expect(rows.map((r) => r.name)).toEqual(Array.from({ length: 8 }, (_, i) => `checkpoint_capture_p203103${String(11 + i).padStart(2, '0')}`));
  });
});

describe('fillGaps', () => {
  it('splits a gap around the serials read, keeping when it was first seen', () => {
    expect(
      fillGaps(
        [
          [10, 20, 7],
          [30, 31, 8],
        ],
        [10, 12, 13, 20, 31, 40],
      ),
    ).toEqual([
      [11, 11, 7],
      [14, 19, 7],
      [30, 30, 8],
    ]);
    expect(fillGaps([[5, 6, 1]], [5, 6])).toEqual([]);
    expect(fillGaps([[5, 6, 1]], [])).toEqual([[5, 6, 1]]);
  });
});
