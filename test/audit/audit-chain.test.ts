import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { headGuard } from '../../src/audit/audit-log';
import { DATA_ACCESS } from '../../src/audit/queries/audit.repository';
import { AuditLog, hubKeyFile, loadOrCreateHubKey, publicKeyOf, type AuditEventContent, type HeadSigningKey } from '../../src/audit';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { dropDatabase } from '../../src/db/ensure-database';
import { freshDatabaseUrl } from '../support/test-database';
import { Pool } from 'pg';
import { tamper as tamperAs } from '../support/tamper';
import { runXietong } from '../support/run-xietong';
import { blocksRead } from '../support/blocks-read';

let db: Database;
let log: AuditLog;
const key: HeadSigningKey = { keyId: 'hub-2026', privateKey: generateKeyPairSync('ed25519').privateKey };
const keys = new Map([[key.keyId, publicKeyOf(key)]]);

const event = (i: number): AuditEventContent => ({
  agency: 'suzhou-psb',
  subject: `officer-${i % 3}`,
  roles: ['case-officer'],
  agreement: 'psb-transport-2026',
  purpose: 'case-investigation',
  caseNumber: '苏E交执〔2026〕00107号',
  operationName: 'VehicleCaptures',
  documentHash: 'ab'.repeat(32),
  variables: { plateNumber: '苏E*****' },
  fieldsReturned: { 'CheckpointCapture.capturedAt': i },
  outcome: 'OK',
  durationMs: i,
});

const tamper = (sql: string) => tamperAs(owner, sql);

async function freshChain(n: number): Promise<void> {
  await owner.query('alter table audit_head_signature disable trigger user');
  await tamper('truncate audit_event');
  await owner.query('truncate audit_head_signature');
  await owner.query('alter table audit_head_signature enable trigger user');
  for (let i = 1; i <= n; i++) await log.append(event(i));
}

/**
 * A database of its own with `n` events in a trail that autovacuum never analyses, as a young or
 * busy hub's is (earlier tests here may have had theirs analysed, and truncation keeps statistics),
 * given to `use` as its owner connects.
 */
async function withNeverAnalysedTrail(label: string, n: number, use: (trail: Pool) => Promise<void>): Promise<void> {
  const fresh = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(label) }), entityModelOf(HUB_DOMAINS));
  const trail = new Pool({ connectionString: fresh.url, max: 1 });
  try {
    await trail.query('alter table audit_event set (autovacuum_enabled = false)');
    const freshLog = new AuditLog(fresh.pool);
    await Promise.all(Array.from({ length: n }, (_, i) => freshLog.append(event(i))));
    expect((await trail.query("select 1 from pg_stats where tablename = 'audit_event'")).rows).toHaveLength(0);
    await use(trail);
  } finally {
    await trail.end();
    await fresh.close();
    await dropDatabase(fresh.url);
  }
}

/** The tables' owner, as an attacker with the owner's rights would connect. */
let owner: Pool;
beforeAll(async () => {
  db = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl('audit') }), entityModelOf(HUB_DOMAINS));
  owner = new Pool({ connectionString: db.url, max: 2 });
  log = new AuditLog(db.pool);
});
afterAll(async () => {
  await owner?.end();
  await db?.close();
  await dropDatabase(db.url);
});

describe('the audit chain', () => {
  it('stays one linear, verifiable chain under 50 concurrent appends', async () => {
    await freshChain(0);
    const appended = await Promise.all(Array.from({ length: 50 }, (_, i) => log.append(event(i))));
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    const bySeq = new Map(appended.map((r) => [r.seq, r]));
    for (let seq = 2; seq <= 50; seq++) expect(bySeq.get(seq)!.prevHash).toBe(bySeq.get(seq - 1)!.hash);
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 50, signedHead: null });
  });

  it('writes lone surrogates anywhere in an event as U+FFFD, so the events batched with it commit too', async () => {
    await freshChain(0);
    const odd = (i: number): AuditEventContent => ({
      ...event(i),
      subject: `officer-\ud800${i}`,
      operationName: `${'Q'.repeat(127)}😀tail`,
      variables: { ['\udc00key']: ['x\ud83d'], plateNumber: '苏E*****' },
      arguments: [{ field: 'vehicle', arguments: { note: 'lone \udfff end' } }],
    });
    const appended = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(i % 4 === 1 ? odd(i) : event(i))));
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { rows } = await owner.query<{ content: AuditEventContent }>(
      `select content from audit_event where content->>'subject' like 'officer-%1' order by seq limit 1`,
    );
    expect(rows[0].content).toMatchObject({
      subject: 'officer-\uFFFD1',
      variables: { ['\uFFFDkey']: ['x\uFFFD'] },
      arguments: [{ field: 'vehicle', arguments: { note: 'lone \uFFFD end' } }],
    });
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 20 });
  });

  it('cuts an over-long operation name on characters: an emoji across the cut stays whole', async () => {
    await freshChain(0);
    const [record] = await Promise.all([log.append({ ...event(1), operationName: `${'Q'.repeat(127)}😀tail`, variables: { big: 'v'.repeat(17_000) } })]);
    expect(record.content.operationName).toBe(`${'Q'.repeat(127)}😀… (132 characters)`);
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 1 });
  });

  it('group-commits concurrent appends: fewer transactions than events, one chain, each append resolved after its batch', async () => {
    await freshChain(0);
    const batches = log.batches;
    const appended = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const record = await log.append(event(i));
        // Resolved, so committed: visible to any other connection now.
        const { rows } = await owner.query('select 1 from audit_event where seq = $1', [record.seq]);
        expect(rows).toHaveLength(1);
        return record;
      }),
    );
    // The first batch is written at once; those appended meanwhile go together in the next.
    expect(log.batches - batches).toBeLessThan(40);
    expect(appended.map((r) => r.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 40 });
  });

  it('an event the database refuses fails only its own append: the rest of its batch commits in order, and the chain goes on', async () => {
    await freshChain(2);
    await owner.query(`create function refuse_poison() returns trigger language plpgsql as $$
      begin if new.content->>'subject' = 'poison' then raise exception 'refused'; end if; return new; end $$`);
    await owner.query('create trigger refuse_poison before insert on audit_event for each row execute function refuse_poison()');
    try {
      const first = log.append(event(3));
      // Appended while the first batch is on its way: one batch, refused, then written event by event.
      const [fourth, poison, sixth] = [event(4), { ...event(5), subject: 'poison' }, event(6)].map((e) => log.append(e));
      await expect(first).resolves.toMatchObject({ seq: 3 });
      await expect(fourth).resolves.toMatchObject({ seq: 4, content: { durationMs: 4 } });
      await expect(poison).rejects.toThrow('refused');
      await expect(sixth).resolves.toMatchObject({ seq: 5, content: { durationMs: 6 } });
    } finally {
      await owner.query('drop trigger refuse_poison on audit_event');
      await owner.query('drop function refuse_poison()');
    }
    expect(await log.append(event(7))).toMatchObject({ seq: 6 });
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 6 });
  });

  it("checks that the head is still the chain's last event in constant work, however long the chain, even with no statistics", async () => {
    await withNeverAnalysedTrail('audit_guard', 3000, async (trail) => {
      const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
      const head = async (offset: number) => {
        const { rows } = await trail.query<{ seq: string; hash: string }>('select seq, hash from audit_event order by seq desc limit 1 offset $1', [offset]);
        return { seq: Number(rows[0].seq), hash: rows[0].hash };
      };
      const holds = async (guard: string) => (await trail.query(`select 1 where ${guard}`)).rowCount === 1;
      const last = await head(0);
      expect(last.seq).toBe(3000);
      expect(await holds(headGuard(last, literal))).toBe(true);
      expect(await holds(headGuard(await head(1), literal))).toBe(false);
      expect(await holds(headGuard({ ...last, hash: 'f'.repeat(64) }, literal))).toBe(false);
      expect(await holds(headGuard(null, literal))).toBe(false);
      // The index's path to the last event, not the chain's hundreds of pages.
      expect(await blocksRead(trail, `select 1 where ${headGuard(last, literal)}`)).toBeLessThanOrEqual(5);
    });
  });

  it("reads an auditor's window of the trail by its time, not the whole trail", async () => {
    await withNeverAnalysedTrail('audit_window', 3000, async (trail) => {
      const { rows } = await trail.query<{ occurred_at: Date }>('select occurred_at from audit_event where seq in (1500, 1510) order by seq');
      const window = ['suzhou-transport', rows[0].occurred_at, new Date(rows[1].occurred_at.getTime() + 1)];
      expect(await blocksRead(trail, DATA_ACCESS, window)).toBeLessThanOrEqual(24);
    });
  });

  it('appends through two logs (two hubs on one database) interleave into one chain', async () => {
    await freshChain(0);
    const other = new AuditLog(db.pool);
    const appended = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? log : other).append(event(i))));
    expect(appended.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 30 });
  });

  it('refuses updates, deletes and truncation through the normal path', async () => {
    await freshChain(3);
    await expect(db.pool.query("update audit_event set content = '{}' where seq = 2")).rejects.toMatchObject({ code: '42501' });
    await expect(db.pool.query('delete from audit_event where seq = 3')).rejects.toMatchObject({ code: '42501' });
    await expect(db.pool.query('truncate audit_event')).rejects.toMatchObject({ code: '42501' });
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 3 });
  });

  it("the hub's own connections act as a role that can neither edit the trail nor switch its guard off", async () => {
    const client = await db.pool.connect();
    try {
      expect((await client.query<{ r: string }>('select current_user as r')).rows[0].r).toBe('xietong_app');
      await expect(client.query('alter table audit_event disable trigger user')).rejects.toMatchObject({ code: '42501' });
      // Even with the triggers off (as the owner could), the application role has no right to edit.
      await owner.query('alter table audit_event disable trigger user');
      try {
        await expect(client.query("update audit_event set content = '{}' where seq = 1")).rejects.toThrow(/permission denied/);
        await expect(client.query('delete from audit_event where seq = 1')).rejects.toThrow(/permission denied/);
      } finally {
        await owner.query('alter table audit_event enable trigger user');
      }
      expect(await log.verify(keys)).toMatchObject({ intact: true, events: 3 });
    } finally {
      client.release();
    }
  });

  it('detects an edited field', async () => {
    await freshChain(20);
    await tamper(`update audit_event set content = jsonb_set(content, '{subject}', '"someone-else"') where seq = 10`);
    expect(await log.verify(keys)).toEqual({ intact: false, firstBrokenSeq: 10, reason: 'content does not match its hash' });
  });

  it('detects an edited time', async () => {
    await freshChain(5);
    await tamper("update audit_event set occurred_at = occurred_at - interval '1 hour' where seq = 4");
    expect(await log.verify(keys)).toMatchObject({ intact: false, firstBrokenSeq: 4 });
  });

  it('detects a deleted middle event', async () => {
    await freshChain(20);
    await tamper('delete from audit_event where seq = 7');
    expect(await log.verify(keys)).toEqual({ intact: false, firstBrokenSeq: 7, reason: 'event 7 is missing' });
  });

  it('detects two swapped events', async () => {
    await freshChain(20);
    await tamper(`update audit_event a set content = b.content, occurred_at = b.occurred_at, prev_hash = b.prev_hash, hash = b.hash
      from audit_event b where (a.seq, b.seq) in ((5, 6), (6, 5))`);
    expect(await log.verify(keys)).toMatchObject({ intact: false, firstBrokenSeq: 5 });
  });

  it('detects a truncated tail once a head was signed', async () => {
    await freshChain(20);
    expect(await log.signHead(key)).toMatchObject({ seq: 20 });
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 20, signedHead: 20 });
    await tamper('delete from audit_event where seq > 17');
    expect(await log.verify(keys)).toMatchObject({ intact: false, firstBrokenSeq: 18 });
  });

  it('ignores a head signature it cannot verify (forged or unknown key)', async () => {
    await freshChain(4);
    const forger: HeadSigningKey = { keyId: key.keyId, privateKey: generateKeyPairSync('ed25519').privateKey };
    await log.signHead(forger);
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 4, signedHead: null });
  });

  it('caps each event at 16 KB: many long literal arguments are kept as their size and digest too', async () => {
    await freshChain(1);
    const literals = Array.from({ length: 20 }, (_, i) => ({
      field: `Query.enterprises`,
      alias: `a${i}`,
      arguments: { filter: { nameContains: 'x'.repeat(4000) } },
    }));
    const record = await log.append({ ...event(2), arguments: literals });
    const {
      rows: [row],
    } = await owner.query<{ size: number; content: AuditEventContent }>('select length(content::text) as size, content from audit_event where seq = $1', [
      record.seq,
    ]);
    expect(row.size).toBeLessThan(16 * 1024);
    expect(row.content.arguments).toEqual([{ field: '(omitted)', arguments: { '(omitted)': expect.stringMatching(/^\d+ bytes, sha256 [0-9a-f]{64}$/) } }]);
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 2 });
  });

  it('caps each event at 16 KB: over it, variables are kept as their size and digest, a long name is cut', async () => {
    await freshChain(1);
    const bulky = { ...event(2), operationName: 'N'.repeat(50_000), variables: { note: 'x'.repeat(900_000) } };
    const record = await log.append(bulky);
    const {
      rows: [row],
    } = await owner.query<{ size: number; content: AuditEventContent }>('select length(content::text) as size, content from audit_event where seq = $1', [
      record.seq,
    ]);
    expect(row.size).toBeLessThan(16 * 1024);
    expect(row.content.variables).toEqual({ '(omitted)': expect.stringMatching(/^900011 bytes, sha256 [0-9a-f]{64}$/) });
    expect(row.content.operationName).toBe(`${'N'.repeat(128)}… (50000 characters)`);
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 2, signedHead: null });
    // What stays over the cap even so is refused: fail closed, nothing appended.
    await expect(log.append({ ...event(3), fieldsReturned: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`T.f${i}`, i])) })).rejects.toThrow(
      /exceeds 16384/,
    );
    expect(await log.verify(keys)).toMatchObject({ intact: true, events: 2, signedHead: null });
  });

  it('fails closed: an append that cannot be written throws', async () => {
    await owner.query('alter table audit_event rename to audit_event_away');
    try {
      await expect(log.append(event(1))).rejects.toThrow();
    } finally {
      await owner.query('alter table audit_event_away rename to audit_event');
    }
  });

  it('xietong audit verify (npm run audit:verify) reports an intact chain (exit 0) and the first broken event (exit 1), as text or JSON', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xietong-audit-'));
    const hubKey = loadOrCreateHubKey(dataDir);
    expect(loadOrCreateHubKey(dataDir).keyId).toBe(hubKey.keyId);
    expect(fs.statSync(hubKeyFile(dataDir)).mode & 0o777).toBe(0o600);
    await freshChain(6);
    await log.signHead(hubKey);
    const verify = async (...args: string[]) => {
      const { code, out } = await runXietong(['audit', 'verify', ...args], { DATABASE_URL: db.url, XIETONG_DATA_DIR: dataDir, LOG_LEVEL: 'error' });
      return { code, out };
    };
    expect(await verify()).toEqual({ code: 0, out: 'audit chain intact: 6 events (every event checked), signed head 6' });
    // The first run left a verified checkpoint at the signed head: the next goes on from it.
    await log.append(event(7));
    expect(await verify()).toEqual({ code: 0, out: 'audit chain intact: 7 events (events 7-7 checked after verified checkpoint 6), signed head 6' });
    expect(await verify('--full')).toEqual({ code: 0, out: 'audit chain intact: 7 events (every event checked), signed head 6' });
    const json = await verify('--full', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual({ intact: true, events: 7, signedHead: 6, checkedFrom: 0, eventsRead: 7 });
    await tamper('delete from audit_event where seq >= 6');
    expect(await verify()).toEqual({ code: 1, out: 'audit chain BROKEN at event 6: events after 5 were removed (a signed head covers 6)' });
    expect(await verify('--full')).toEqual({ code: 1, out: 'audit chain BROKEN at event 6: events after 5 were removed (a signed head covers 6)' });
    const broken = await verify('--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.out)).toEqual({ intact: false, firstBrokenSeq: 6, reason: 'events after 5 were removed (a signed head covers 6)' });
    expect(await runXietong(['audit', 'verify'], { DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere', XIETONG_DATA_DIR: dataDir })).toMatchObject({
      code: 3,
      err: expect.stringMatching(/^xietong: cannot open the database at DATABASE_URL: .*ECONNREFUSED/),
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
