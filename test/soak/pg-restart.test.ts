import { Pool } from 'pg';
import { loadConfig } from '../../src/config';
import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken } from '../../src/auth';
import { dropDatabase } from '../../src/db/ensure-database';
import { startTransportSimulator, type TransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { startNodeProcess, type NodeProcess } from '../support/node-process';
import { ALL_SEEING_OFFICER } from '../support/test-hub';

const config = loadConfig({});
const agencies = loadAgencies(config.agreementsFile);
const PORT = 54383;
const QUERY = 'query Lookup { enterprise(uscc: "91320583MA2125D5XF") { uscc name } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return true;
    await sleep(200);
  }
  return false;
}

interface Answer {
  at: number;
  status: number;
  retryAfter: string | null;
  code: string | null;
  ms: number;
}

// A PostgreSQL restart under a hub and a sync worker (PostgreSQL queues, the backend a restart
// reaches): the soak's pg-restart fault, focused, in seconds. The server is a private embedded one:
// the machine's is shared with other test runs and is never restarted.
describe('a PostgreSQL restart under a running hub and worker', () => {
  let server: NodeProcess;
  let hub: NodeProcess;
  let worker: NodeProcess;
  let transport: TransportSimulator;
  let pool: Pool;
  let databaseUrl: string;
  let graphqlUrl: string;

  beforeAll(async () => {
    server = startNodeProcess('test/support/private-postgres-main.js', [String(PORT)], { XIETONG_DATA_DIR: config.dataDir });
    const url = new URL((await server.waitForOutput(/private postgres at (\S+)/, 120))[1]);
    url.pathname = `/xietong_pg_restart_${process.pid}_${Date.now().toString(36)}`;
    databaseUrl = url.toString();
    transport = await startTransportSimulator(generateWorld({ seed: 1601, size: 0.01 }), { maxPageSize: 50 });
    const common = {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      XIETONG_DATA_DIR: config.dataDir,
      QUEUE_PREFIX: `xt_pgr_${process.pid}`,
    };
    hub = startNodeProcess('src/main.js', [], { ...common, PORT: '0' });
    graphqlUrl = (await hub.waitForOutput(/GraphQL at (http:\/\/\S+)/, 120))[1];
    worker = startNodeProcess('src/worker.js', ['--schedule'], {
      ...common,
      SYNC_INTERVAL_SECONDS: '5',
      TRANSPORT_API_URL: transport.url,
      TRANSPORT_API_TOKEN: transport.token,
    });
    await worker.waitForOutput(/sync workers running/, 120);
    pool = new Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', () => undefined);
  }, 300_000);

  afterAll(async () => {
    await Promise.all([hub, worker].filter(Boolean).map((p) => p.stop()));
    await pool?.end();
    await transport?.close();
    if (databaseUrl) await dropDatabase(databaseUrl).catch(() => undefined);
    await server?.stop();
  }, 60_000);

  it('answers 503 with Retry-After meanwhile (never a 500), goes unready then ready, and the worker survives to sync again', async () => {
    const succeededAfter = async (id: string) => (await pool.query(`select 1 from sync_run where id > $1 and status = 'SUCCEEDED'`, [id])).rowCount! > 0;
    expect(await waitFor(() => succeededAfter('0'), 60)).toBe(true);

    const answers: Answer[] = [];
    const readiness: boolean[] = [];
    let running = true;
    const load = (async () => {
      while (running) {
        const jwt = await mintDevToken(config.dataDir, agencies, ALL_SEEING_OFFICER);
        const started = Date.now();
        try {
          const res = await fetch(graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${jwt}`, 'x-purpose': 'case-investigation' },
            body: JSON.stringify({ query: QUERY }),
            signal: AbortSignal.timeout(15_000),
          });
          const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
          answers.push({
            at: started,
            status: res.status,
            retryAfter: res.headers.get('retry-after'),
            code: body.errors?.[0]?.extensions?.code ?? null,
            ms: Date.now() - started,
          });
        } catch {
          answers.push({ at: started, status: 0, retryAfter: null, code: 'NO_ANSWER', ms: Date.now() - started });
        }
        await sleep(100);
      }
    })();
    const probe = (async () => {
      while (running) {
        readiness.push(
          await fetch(graphqlUrl.replace('/graphql', '/ready'), { signal: AbortSignal.timeout(5000) }).then(
            (r) => r.status === 200,
            () => false,
          ),
        );
        await sleep(200);
      }
    })();

    await sleep(1000);
    const [{ last }] = (await pool.query<{ last: string }>(`select coalesce(max(id), 0)::text as last from sync_run`)).rows;
    server.child.kill('SIGUSR1');
    await server.waitForOutput(/stopped 1/, 60);
    const down = Date.now();
    await sleep(3000);
    server.child.kill('SIGUSR2');
    await server.waitForOutput(/started 1/, 60);
    const back = Date.now();

    const ready = await waitFor(async () => (await fetch(graphqlUrl.replace('/graphql', '/ready'))).status === 200, 30);
    const readyAfter = (Date.now() - back) / 1000;
    const answeredAgain = await waitFor(async () => answers.some((a) => a.at > back && a.status === 200), 30);
    const synced = await waitFor(() => succeededAfter(last), 45);
    running = false;
    await Promise.all([load, probe]);

    const during = answers.filter((a) => a.at >= down && a.at <= back);
    process.stderr.write(
      `pg-restart: ${during.length} requests during the outage (${during.filter((a) => a.status === 503).length} × 503), ` +
        `ready ${readyAfter.toFixed(1)} s after PostgreSQL was back\n`,
    );
    expect({ ready, answeredAgain, synced }).toEqual({ ready: true, answeredAgain: true, synced: true });
    // Both processes lived through it: nothing restarted them.
    expect([hub.child.exitCode, worker.child.exitCode]).toEqual([null, null]);
    expect(during.length).toBeGreaterThan(5);
    expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    // Refused early with a time to come back, or answered: never a 500, never no answer.
    expect(answers.filter((a) => a.status !== 200 && !(a.status === 503 && a.retryAfter))).toEqual([]);
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(10_000);
    expect(readiness.indexOf(false)).toBeGreaterThanOrEqual(0);
    expect(readiness.lastIndexOf(true)).toBeGreaterThan(readiness.indexOf(false));
  }, 180_000);
});
