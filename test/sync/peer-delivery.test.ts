import { startHub, type Hub } from '../../src/app';
import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken } from '../../src/auth';
import { peerConfig, peerHubConfig } from '../support/peer-config';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { freshDatabaseUrl } from '../support/test-database';
import { testLogger } from '../support/test-logger';
import { freePort, until } from '../support/eventually';

/**
 * Delivery between peer hubs on each queue backend: a message to a peer that is down waits in the
 * outbox, retried through the queue, and is delivered once when the peer comes up; a peer that
 * refuses it for good (it does not count us as its peer) leaves it REFUSED, not retried.
 */

const redisUrl = loadConfig().redisUrl;
const kinds = redisUrl ? (['postgres', 'redis'] as const) : (['postgres'] as const);
const base = loadConfig({});
const agencies = loadAgencies(base.agreementsFile);

const peer = (id: string, agency: string, port: number, asAgency: string) => peerConfig(base.dataDir, id, agency, port, asAgency);

describe.each(kinds)('peer delivery on %s', (kind) => {
  const { logger } = testLogger();
  let suzhouPort: number;
  let shanghaiPort: number;
  let suzhouDb: Database;
  let shanghaiDb: Database;
  let suzhou: Hub;
  let shanghai: Hub | null = null;

  const env = (databaseUrl: string, port: number, hubAgency: string, peers: unknown[]) =>
    peerHubConfig({
      databaseUrl,
      port,
      hubAgency,
      peers,
      queuePrefix: `xt_peer_${hubAgency.split('-')[0]}_${kind}_${process.pid}`,
      ...(kind === 'redis' ? { redisUrl: redisUrl! } : {}),
    });
  const startShanghai = async (peers: unknown[]) =>
    (shanghai = await startHub(env(shanghaiDb.url, shanghaiPort, 'shanghai-transport', peers), logger, shanghaiDb, { admission: false }));

  beforeAll(async () => {
    suzhouPort = await freePort();
    shanghaiPort = await freePort();
    suzhouDb = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`peer_sz_${kind}`) }), entityModelOf(HUB_DOMAINS), logger);
    shanghaiDb = await openDatabase(loadConfig({ DATABASE_URL: freshDatabaseUrl(`peer_sh_${kind}`) }), entityModelOf(HUB_DOMAINS), logger);
    suzhou = await startHub(
      env(suzhouDb.url, suzhouPort, 'suzhou-transport', [peer('shanghai', 'shanghai-transport', shanghaiPort, 'suzhou-transport')]),
      logger,
      suzhouDb,
      {
        admission: false,
      },
    );
  }, 120_000);
  afterAll(async () => {
    await shanghai?.close();
    await suzhou?.close();
    for (const db of [suzhouDb, shanghaiDb]) {
      await db?.close();
      if (db) await dropDatabase(db.url);
    }
  }, 60_000);

  async function ask(subject: string): Promise<string> {
    const token = await mintDevToken(base.dataDir, agencies, { agency: 'suzhou-transport', roles: ['officer'], divisions: ['3205'] });
    const due = new Date(Date.now() + 8 * 3_600_000 + 86_400_000).toISOString().slice(0, 10);
    const response = await fetch(suzhou.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'case-investigation' },
      body: JSON.stringify({
        query:
          'mutation($subject: String!, $due: LocalDate!) { requestAssistance(peer: "shanghai", subject: $subject, question: "Permit?", dueDate: $due) { id } }',
        variables: { subject, due },
      }),
    });
    const body = (await response.json()) as { data?: { requestAssistance: { id: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    return body.data!.requestAssistance.id;
  }

  const outbound = async (requestId: string) =>
    (
      await suzhouDb.pool.query<{ id: string; status: string; attempts: number; last_error: string | null }>(
        `select id, status, attempts, last_error from cooperation_message where direction = 'OUTBOUND' and subject_ref = $1`,
        [requestId],
      )
    ).rows[0];

  it('keeps a message for a peer that is down, retries it, and delivers it once when the peer is up', async () => {
    const requestId = await ask('沪A00001');
    const audited = await suzhouDb.pool.query(`select 1 from audit_event where content::text like '%requestAssistance%'`);
    expect(audited.rowCount).toBe(1);
    const waiting = await until('two failed attempts', async () => {
      const row = await outbound(requestId);
      return row && row.attempts >= 2 ? row : null;
    });
    expect(waiting).toMatchObject({ status: 'PENDING', last_error: expect.stringMatching(/unreachable|no token/) });

    await startShanghai([peer('suzhou', 'suzhou-transport', suzhouPort, 'shanghai-transport')]);
    await until('delivered', async () => ((await outbound(requestId))?.status === 'DELIVERED' ? true : null));
    const inbox = await shanghaiDb.pool.query(`select attempts from cooperation_message where direction = 'INBOUND' and subject_ref = $1`, [requestId]);
    expect(inbox.rows).toEqual([{ attempts: 1 }]);
    const requests = await shanghaiDb.pool.query(`select status from assistance_request where id = $1 and direction = 'INBOUND'`, [requestId]);
    expect(requests.rows).toEqual([{ status: 'OPEN' }]);
  }, 90_000);

  it('leaves a message the peer refuses for good REFUSED, tried once', async () => {
    await shanghai?.close();
    // Shanghai no longer counts Suzhou among its peers.
    await startShanghai([]);
    const requestId = await ask('沪A00002');
    const refused = await until('refused', async () => {
      const row = await outbound(requestId);
      return row?.status === 'REFUSED' ? row : null;
    });
    expect(refused).toMatchObject({ attempts: 1, last_error: expect.stringMatching(/FORBIDDEN/) });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await outbound(requestId)).attempts).toBe(1);
    const inbox = await shanghaiDb.pool.query(`select 1 from cooperation_message where subject_ref = $1`, [requestId]);
    expect(inbox.rowCount).toBe(0);
  }, 60_000);
});
