import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { RegistryConnector } from '../../connectors/market-registry';
import { startHub, type Hub } from '../../src/app';
import { loadConfig } from '../../src/config';
import { dropDatabase, ensureDatabase } from '../../src/db/ensure-database';
import { startRegistrySimulator, type RegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { runStream } from '../../src/sync/run-stream';
import { ownerPool } from '../support/owner-pool';
import { execute } from '../support/graphql-client';
import { runXietong } from '../support/run-xietong';
import { freshDatabaseUrl } from '../support/test-database';
import { startTestHub, type TestHub } from '../support/test-hub';
import { testLogger } from '../support/test-logger';
import type { Pool } from 'pg';

/**
 * The README's backup, done and undone: a `pg_dump` of a running hub (requests answered and
 * audited, a stream synced) restored into a fresh database; a hub started on it verifies the
 * audit chain from its first event and goes on appending to it, and the next sync resumes from the
 * restored cursor (it reads only what changed at the source since the dump).
 */

/** The machine's pg_dump, when it can dump the tests' server (pg_dump reads servers up to its own major version). */
function usablePgDump(serverMajor: number): string | null {
  try {
    const version = execFileSync('pg_dump', ['--version']).toString();
    const major = Number(/(\d+)(?:\.\d+)?/.exec(version)?.[1]);
    return major >= serverMajor ? 'pg_dump' : null;
  } catch {
    return null;
  }
}

const enterprises = { system: SourceSystem.MARKET_REGISTRY, stream: 'enterprises' };
const target = { kind: 'records', spec: RECORD_TABLES.enterprise as never } as const;
const QUERY = '{ enterprises(first: 3) { totalCount edges { node { uscc name } } } }';

let t: TestHub;
let simulator: RegistrySimulator;
let restoredUrl: string;
let restoredOwner: Pool | null = null;
let restoredHub: Hub | null = null;
let dumpTool: string | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xietong-backup-'));

beforeAll(async () => {
  t = await startTestHub('backup_source', { size: 0.005 });
  const owner = ownerPool(t.hub.db.url);
  const { rows } = await owner.query<{ v: string }>("select current_setting('server_version_num') as v");
  await owner.end();
  dumpTool = usablePgDump(Math.floor(Number(rows[0].v) / 10_000));
  if (!dumpTool) console.warn('backup-restore test skipped: no pg_dump of at least the server’s major version on this machine');
  simulator = await startRegistrySimulator(t.world);
  restoredUrl = freshDatabaseUrl('backup_restored');
}, 120_000);
afterAll(async () => {
  await restoredHub?.close();
  await restoredOwner?.end();
  await simulator?.close();
  await t?.close();
  if (restoredUrl) await dropDatabase(restoredUrl).catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
});

it('restores a pg_dump of a running hub: the audit chain verifies and goes on, and the sync resumes from the restored cursor', async () => {
  if (!dumpTool) return;
  const connector = new RegistryConnector({ baseUrl: simulator.url, pageSize: 50 });
  // The source hub at work: a stream synced (its cursor committed), requests answered and audited.
  const first = await runStream({ pool: t.hub.db.pool, connector, ref: enterprises, target });
  expect(first.status).toBe('SUCCEEDED');
  for (let i = 0; i < 3; i++) expect((await execute(t.hub.graphqlUrl, QUERY)).errors).toBeUndefined();

  const file = path.join(dir, 'hub.dump');
  execFileSync(dumpTool, ['--format=custom', `--file=${file}`, `--dbname=${t.hub.db.url}`]);
  // After the dump the source moves on: the restored hub must find this change, and only it.
  const changed = t.world.enterprises[0];
  simulator.update(changed.uscc, { qymc: `${changed.name}（已更名）` }, new Date(Date.now() + 1000).toISOString());

  await ensureDatabase(restoredUrl);
  execFileSync('pg_restore', ['--exit-on-error', `--dbname=${restoredUrl}`, file]);
  restoredOwner = ownerPool(restoredUrl);

  const verified = await runXietong(['audit', 'verify', '--full', '--json'], { DATABASE_URL: restoredUrl, XIETONG_DATA_DIR: loadConfig().dataDir });
  expect(verified.code).toBe(0);
  const eventsAtDump = Number((await restoredOwner.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n);
  expect(eventsAtDump).toBeGreaterThan(0);

  // A hub on the restored database serves, and its requests extend the restored chain.
  const { logger } = testLogger();
  restoredHub = await startHub(loadConfig({ DATABASE_URL: restoredUrl, PORT: '0', LOG_LEVEL: 'error' }), logger);
  const caller = await t.headersAs({ agency: 'suzhou-transport', roles: ['officer'], divisions: ['32'], purpose: 'case-investigation' });
  const answer = await execute(restoredHub.graphqlUrl, QUERY, undefined, caller);
  expect(answer.errors).toBeUndefined();
  const resumed = await runStream({ pool: restoredHub.db.pool, connector, ref: enterprises, target });
  // From the restored cursor: the change, and the rows at the cursor's own instant (read again by design), not the whole source.
  expect(resumed).toMatchObject({ status: 'SUCCEEDED', updated: 1, inserted: 0 });
  expect(first.read).toBe(t.world.enterprises.length);
  expect(first.read).toBeGreaterThan(4);
  expect(resumed.read).toBeLessThanOrEqual(2);
  expect((await restoredOwner.query('select name from enterprise where uscc = $1', [changed.uscc])).rows[0].name).toContain('已更名');
  await restoredHub.close();
  restoredHub = null;
  expect(Number((await restoredOwner.query<{ n: string }>('select count(*) as n from audit_event')).rows[0].n)).toBeGreaterThan(eventsAtDump);
  expect((await runXietong(['audit', 'verify', '--full', '--json'], { DATABASE_URL: restoredUrl, XIETONG_DATA_DIR: loadConfig().dataDir })).code).toBe(0);
});
