import type { CaptureRecord } from '../../connectors/contract/canonical/records';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { generateWorld } from '../../src/demo/world';
import { ensureCapturePartitions, insertCaptures } from '../../src/ingest/insert-captures';
import { freshDatabaseUrl } from '../support/test-database';

/**
 * Captures read again (a look-back, a replayed batch) next to new ones: each is stored once and
 * counted new once, whether the batch's seen ones are found by lookup (then the rest COPYed) or
 * the batch has to go through staging (a capture twice in the same batch).
 */

const captures = [...generateWorld({ seed: 47, size: 0.002 }).captures()].flat().slice(0, 600);

let db: Database;

beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('capture_reread') }), entityModelOf(HUB_DOMAINS));
  await ensureCapturePartitions(db.pool, captures);
});
afterAll(async () => {
  await db?.close();
  await dropDatabase(db.url);
});

async function insert(batch: readonly CaptureRecord[]): Promise<number> {
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    const inserted = await insertCaptures(client, batch, new Date());
    await client.query('commit');
    return inserted;
  } finally {
    client.release();
  }
}

const stored = async () => {
  const { rows } = await db.pool.query<{ n: string; keys: string }>(
    'select count(*) as n, count(distinct (source_serial, captured_at)) as keys from checkpoint_capture',
  );
  return { rows: Number(rows[0].n), keys: Number(rows[0].keys) };
};

it('stores a re-read capture once and counts only the new ones', async () => {
  expect(captures.length).toBe(600);
  expect(await insert(captures.slice(0, 300))).toBe(300);
  // The first 100 of this batch are already there, and not at its start only: the seen ones are interleaved.
  const mixed = [...captures.slice(200, 500)].sort((a, b) => (a.serial % 7) - (b.serial % 7));
  expect(await insert(mixed)).toBe(200);
  expect(await stored()).toEqual({ rows: 500, keys: 500 });
  expect(await insert(captures.slice(0, 500))).toBe(0);
  // A capture twice in one batch (besides seen ones): the batch goes through staging, each stored once.
  expect(await insert([...captures.slice(450, 600), captures[599]])).toBe(100);
  expect(await stored()).toEqual({ rows: 600, keys: 600 });
  const { rows } = await db.pool.query<{ captures: string }>('select sum(captures) as captures from capture_rollup');
  expect(Number(rows[0].captures)).toBe(600);
});
