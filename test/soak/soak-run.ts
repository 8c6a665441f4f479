import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import { loadConfig, projectRoot } from '../../src/config';
import { loadAgencies } from '../../src/access/agreements';
import { mintDevToken, type DevTokenRequest } from '../../src/auth';
import { AuditLog, publicKeyOf } from '../../src/audit/audit-log';
import { loadOrCreateHubKey } from '../../src/audit/hub-key';
import { openDatabase } from '../../src/db/database';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { startPrivatePostgres } from '../support/private-postgres';
import { dropDatabase } from '../../src/db/ensure-database';
import { entityModelOf, HUB_DOMAINS } from '../../src/domains';
import { contentHash } from '../../src/ingest/content-hash';
import { loadWorld } from '../../src/demo/load-world';
import { startCreditSimulator } from '../../src/demo/upstream/credit-simulator';
import { startExchangeSimulator, startLiveTraffic } from '../../src/demo/upstream/exchange-simulator';
import { startRegistrySimulator } from '../../src/demo/upstream/registry-simulator';
import { startTransportSimulator } from '../../src/demo/upstream/transport-simulator';
import { generateWorld } from '../../src/demo/world';
import { startNodeProcess, type NodeProcess } from '../support/node-process';
import { privateRedisDir, redisServerAvailable, REDIS_SERVER, startPrivateRedis, type PrivateRedis } from '../support/private-redis';
import { freePort } from '../support/eventually';
import { ownerPool } from '../support/owner-pool';

/** The faults a soak can inject, each once, spread over its middle. */
export const FAULTS = ['hub-kill', 'worker-kill', 'slow-db', 'slow-upstream', 'pg-restart', 'redis-restart'] as const;
export type Fault = (typeof FAULTS)[number];

export interface SoakOptions {
  minutes: number;
  rps: number;
  faults: readonly Fault[];
  /** Size of the synthetic world (DEMO_SIZE's scale). */
  size: number;
  /**
   * The PostgreSQL server to create the soak's database on (loopback); null: a private embedded
   * server under `.data/soak-postgres-<port>` that the soak may restart (`pg-restart` needs it: other
   * users of a shared server must never see it restarted).
   */
  serverUrl: string | null;
  /** Port of the private embedded server. */
  embeddedPort?: number;
  /**
   * The private server's binaries: null (default) the embedded-postgres package's, as a fresh
   * machine runs the hub; else a folder of a machine PostgreSQL's (`pg_config --bindir`).
   */
  serverBin?: string | null;
  /**
   * Queues on Redis when set, else on PostgreSQL. The `redis-restart` fault runs a private
   * redis-server instead (on a free port; this one is shared and never restarted).
   */
  redisUrl: string | null;
  log?: (line: string) => void;
}

interface Call {
  name: string;
  operation: string;
  caller: DevTokenRequest & { purpose?: string; caseNumber?: string };
}

interface Outcome {
  name: string;
  status: number;
  retryAfter: string | null;
  code: string | null;
  ms: number;
  jti: string;
  at: number;
}

export interface FaultReport {
  fault: Fault;
  /** From the fault's end (the dependency back) to the first normal answer of the affected part, s. */
  recoverySeconds: number | null;
  /** Requests not answered 200 between the fault's start and recovery. */
  failedDuringWindow: number;
  detail: string;
}

export interface SoakReport {
  requests: number;
  seconds: number;
  throughput: number;
  perOperation: Record<string, { count: number; p50: number; p95: number; p99: number }>;
  errorsByCode: Record<string, number>;
  faults: FaultReport[];
  rssMb: { start: number[]; end: number[] };
  /** Each hub's event-loop delay p99 (ms) over the load's first and last 10 s windows, and the worst window's. */
  eventLoopDelayP99Ms: { start: number[]; end: number[]; max: number };
  exactness: {
    answeredWithoutOneEvent: number;
    chainIntact: boolean;
    runningRuns: number;
    tablesEqualSources: Record<string, boolean>;
    capturesMissing: number;
    capturesDuplicated: number;
  };
  ok: boolean;
  /** When not ok: the sync runs left RUNNING and the last lines each worker logged. */
  diagnostics?: { running: unknown[]; workerLog: string[] };
}

/** The README's examples with the callers their first lines name (as test/readme.test.ts reads them). */
export function readmeCalls(): Call[] {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const calls: Call[] = [];
  const pattern = /```graphql\n([\s\S]*?)```/g;
  for (let m = pattern.exec(readme); m; m = pattern.exec(readme)) {
    const operation = m[1].trim();
    const line = /^# as ([\w-]+) ([\w-]+)(?: \(divisions ([\d ]+)\))?(?:, purpose ([\w-]+))?(?:, case (\S+))?$/.exec(operation.split('\n')[0]);
    // Reads only: a soak that changed the world would not compare with its sources.
    if (!line || !/^query /m.test(operation)) continue;
    const [, agency, role, divisions, purpose, caseNumber] = line;
    calls.push({
      name: /^query (\w+)/m.exec(operation)![1],
      operation,
      caller: { agency, roles: [role], divisions: divisions?.split(' '), purpose, caseNumber },
    });
  }
  return calls;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0);
const rssMbOf = (pid: number | undefined): number => {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024);
  } catch {
    return 0;
  }
};

async function waitFor(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}

/**
 * Two hub processes and two sync workers over one fresh database (and Redis when given), the
 * simulated agency systems in this process producing checkpoint traffic, a load of the README's
 * reads at `rps`, faults injected once each; then the exactness checks.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const config = loadConfig({});
  const agencies = loadAgencies(config.agreementsFile);
  const embeddedPort = options.embeddedPort ?? 54349;
  const serverBin = options.serverBin ?? null;
  const embeddedDir = path.join(config.dataDir, `soak-postgres-${serverBin ? 'machine-' : ''}${embeddedPort}`);
  const startPrivate = () => (serverBin ? startPrivatePostgres(serverBin, embeddedDir, embeddedPort) : startEmbeddedPostgres(embeddedDir, embeddedPort));
  let embedded = options.serverUrl ? null : await startPrivate();
  if (options.faults.includes('pg-restart') && !embedded) throw new Error('the pg-restart fault needs the private embedded PostgreSQL (no --server)');
  const url = new URL(options.serverUrl ?? embedded!.url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) throw new Error('the soak runs against a loopback PostgreSQL only');
  url.pathname = `/xietong_soak_${process.pid}_${Date.now().toString(36)}`;
  const databaseUrl = url.toString();
  const queuePrefix = `xt_soak_${process.pid}`;
  let privateRedis: PrivateRedis | null = null;
  if (options.faults.includes('redis-restart')) {
    if (!redisServerAvailable()) throw new Error(`the redis-restart fault needs ${REDIS_SERVER} (a private Redis the soak may restart)`);
    privateRedis = await startPrivateRedis(privateRedisDir(config.dataDir, `soak-${process.pid}`), await freePort());
  }
  const redisUrl = privateRedis?.url ?? options.redisUrl;

  log(`world size ${options.size}: loading into ${url.pathname.slice(1)}`);
  const db = await openDatabase(loadConfig({ DATABASE_URL: databaseUrl }), entityModelOf(HUB_DOMAINS));
  const world = generateWorld({ seed: 20211, size: options.size });
  await loadWorld(db.pool, world);
  await db.close();
  const transport = await startTransportSimulator(world, { maxPageSize: 50 });
  const registry = await startRegistrySimulator(world);
  const credit = await startCreditSimulator(world);
  const exchange = await startExchangeSimulator(world, databaseUrl);
  const traffic = startLiveTraffic(exchange, world, { intervalMs: 1000, perTick: 10 });
  const upstreamEnv = {
    TRANSPORT_API_URL: transport.url,
    TRANSPORT_API_TOKEN: transport.token,
    REGISTRY_API_URL: registry.url,
    CREDIT_API_URL: credit.url,
    CREDIT_API_KEY: credit.apiKey,
    EXCHANGE_DATABASE_URL: databaseUrl,
  };
  const common = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'error',
    NODE_ENV: 'production',
    XIETONG_DATA_DIR: config.dataDir,
    QUEUE_PREFIX: queuePrefix,
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  const hubEnv = { ...common, PORT: '0', READ_STATEMENT_TIMEOUT_MS: '2000', AGENCY_MAX_REQUESTS: '16', AGENCY_MAX_STATEMENTS: '4' };
  // Workers log their warnings, kept for the report when an exactness check fails.
  const workerEnv = { ...common, ...upstreamEnv, SYNC_INTERVAL_SECONDS: '5', LOG_LEVEL: 'warn' };
  const startHub = () => startNodeProcess('src/main.js', [], hubEnv);
  const startWorker = (schedule: boolean) => startNodeProcess('src/worker.js', schedule ? ['--schedule'] : [], workerEnv);
  const hubs: NodeProcess[] = [startHub(), startHub()];
  const hubUrls: Array<string | null> = await Promise.all(hubs.map(async (h) => (await h.waitForOutput(/GraphQL at (http:\/\/\S+)/, 120))[1]));
  const workers: NodeProcess[] = [startWorker(true), startWorker(false)];
  await Promise.all(workers.map((w) => w.waitForOutput(/sync workers running/, 120)));
  const pool = new Pool({ connectionString: databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const rssStart = [...hubs, ...workers].map((p) => rssMbOf(p.child.pid));
  log(`2 hubs (${hubUrls.join(', ')}) and 2 workers up; ${options.rps} requests/s for ${options.minutes} min`);

  const calls = readmeCalls();
  const outcomes: Outcome[] = [];
  /** Tokens of attempts that got no answer (an instance killed under them): their request may or may not have been audited, never twice. */
  const unanswered: string[] = [];
  let next = 0;
  /**
   * One request, to the next instance that is up (what a load balancer does), tried on the other
   * when the first does not answer. Each attempt presents a token of its own, so that its `jti`
   * names its one audit event.
   */
  const send = async (call: Call) => {
    const { purpose, caseNumber, ...token } = call.caller;
    const started = performance.now();
    let status = 0;
    let retryAfter: string | null = null;
    let code: string | null = 'CONNECTION_REFUSED';
    let jti = '';
    for (let tries = 0; tries < hubUrls.length; tries++) {
      const target = hubUrls[next++ % hubUrls.length];
      if (!target) continue;
      if (jti) unanswered.push(jti);
      const jwt = await mintDevToken(config.dataDir, agencies, token);
      jti = (JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { jti: string }).jti;
      try {
        const res = await fetch(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${jwt}`,
            ...(purpose ? { 'x-purpose': purpose } : {}),
            ...(caseNumber ? { 'x-case-number': encodeURIComponent(caseNumber) } : {}),
          },
          body: JSON.stringify({ query: call.operation }),
          signal: AbortSignal.timeout(15_000),
        });
        const body = (await res.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        code = body.errors?.[0]?.extensions?.code ?? null;
        break;
      } catch (error) {
        code = (error as Error).name === 'TimeoutError' ? 'CLIENT_TIMEOUT' : 'CONNECTION_REFUSED';
      }
    }
    outcomes.push({ name: call.name, status, retryAfter, code, ms: performance.now() - started, jti, at: Date.now() });
  };

  /** Each hub's event-loop delay p99 per 10 s window of the load (its /metrics: each scrape starts a window). */
  const loopWindows: number[][] = [];
  const scrapeLoopDelay = async () =>
    Promise.all(
      hubUrls.map(async (u) => {
        if (!u) return NaN;
        const text = await fetch(u.replace('/graphql', '/metrics'), { signal: AbortSignal.timeout(5000) }).then(
          (r) => r.text(),
          () => '',
        );
        const line = /^xietong_event_loop_delay_seconds\{quantile="0\.99"\} (\S+)$/m.exec(text);
        return line ? Math.round(Number(line[1]) * 1000) : NaN;
      }),
    );
  await scrapeLoopDelay();

  const started = Date.now();
  const durationMs = options.minutes * 60_000;
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  // The load goes on until the last fault has been recovered from, however long that takes.
  let faultsDone = false;
  const loopScraping = (async () => {
    while (!faultsDone || Date.now() - started < durationMs) {
      await sleep(10_000);
      loopWindows.push(await scrapeLoopDelay());
    }
  })();
  const loadDone = (async () => {
    while (Date.now() - started < durationMs || !faultsDone) {
      const due = Math.floor(((Date.now() - started) / 1000) * options.rps);
      while (sent < due) {
        const p = send(calls[sent % calls.length]).finally(() => inFlight.delete(p));
        inFlight.add(p);
        sent++;
      }
      await sleep(20);
    }
    await Promise.all(inFlight);
  })();

  const faultReports: FaultReport[] = [];
  const firstOkAfter = async (since: number, match: (o: Outcome) => boolean, seconds = 60) => {
    let at: number | null = null;
    await waitFor(async () => {
      at = outcomes.find((o) => o.at > since && o.status === 200 && match(o))?.at ?? null;
      return at !== null;
    }, seconds);
    return at;
  };
  /** Requests the fault cost: unanswered or answered 5xx (refusals the request itself earns, 4xx, are not the fault's). */
  const failedBetween = (from: number, to: number) => outcomes.filter((o) => o.at >= from && o.at <= to && (o.status === 0 || o.status >= 500)).length;
  const slot = durationMs / (options.faults.length + 1);
  for (const [i, fault] of options.faults.entries()) {
    await sleep(Math.max(0, started + slot * (i + 1) - Date.now()));
    const from = Date.now();
    if (fault === 'hub-kill') {
      hubs[0].child.kill('SIGKILL');
      await hubs[0].exited;
      hubUrls[0] = null;
      hubs[0] = startHub();
      const restartedUrl = (await hubs[0].waitForOutput(/GraphQL at (http:\/\/\S+)/, 120))[1];
      const back = Date.now();
      const ready = await waitFor(async () => (await fetch(restartedUrl.replace('/graphql', '/ready'))).status === 200, 30);
      hubUrls[0] = restartedUrl;
      const readyAt = Date.now();
      faultReports.push({
        fault,
        recoverySeconds: ready ? (readyAt - back) / 1000 : null,
        failedDuringWindow: failedBetween(from, readyAt),
        detail: `SIGKILLed one hub, restarted it: ready ${((readyAt - from) / 1000).toFixed(1)} s after the kill; the other served meanwhile`,
      });
    } else if (fault === 'worker-kill') {
      const running = await waitFor(async () => (await pool.query(`select 1 from sync_run where status = 'RUNNING' and batches > 0`)).rowCount! > 0, 60);
      workers[1].child.kill('SIGKILL');
      workers[0].child.kill('SIGKILL');
      await Promise.all([workers[0].exited, workers[1].exited]);
      workers[0] = startWorker(false);
      workers[1] = startWorker(false);
      await Promise.all(workers.map((w) => w.waitForOutput(/sync workers running/, 120)));
      const back = Date.now();
      const [{ last }] = (await pool.query<{ last: string }>(`select coalesce(max(id), 0)::text as last from sync_run`)).rows;
      const resumed = await waitFor(async () => (await pool.query(`select 1 from sync_run where id > $1 and status = 'SUCCEEDED'`, [last])).rowCount! > 0, 90);
      faultReports.push({
        fault,
        recoverySeconds: resumed ? (Date.now() - back) / 1000 : null,
        failedDuringWindow: failedBetween(from, Date.now()),
        detail: `SIGKILLed both workers ${running ? 'with a run mid-batch' : '(no run was mid-batch)'}, restarted: a run succeeded ${resumed ? 'after' : 'NOT within 90 s of'} the restart`,
      });
    } else if (fault === 'pg-restart') {
      // PostgreSQL stopped (fast shutdown) and started again under load: 503s with Retry-After meanwhile, /ready false then true.
      const readiness: boolean[] = [];
      let probeDone = false;
      const probing = (async () => {
        while (!probeDone) {
          const answers = await Promise.all(
            hubUrls.map((u) =>
              u
                ? fetch(u.replace('/graphql', '/ready'), { signal: AbortSignal.timeout(5000) }).then(
                    (r) => r.status === 200,
                    () => false,
                  )
                : false,
            ),
          );
          readiness.push(answers.every(Boolean));
          await sleep(250);
        }
      })();
      const [{ last }] = (await pool.query<{ last: string }>(`select coalesce(max(id), 0)::text as last from sync_run`)).rows;
      await embedded!.stop();
      await sleep(3000);
      embedded = await startPrivate();
      const back = Date.now();
      // Nothing restarts the workers: they live through it, and a run succeeds after.
      const synced = waitFor(async () => (await pool.query(`select 1 from sync_run where id > $1 and status = 'SUCCEEDED'`, [last])).rowCount! > 0, 90).then(
        (ok) => (ok ? Date.now() : null),
      );
      const ready = await waitFor(
        async () => (await Promise.all(hubUrls.map((u) => (u ? fetch(u.replace('/graphql', '/ready')).then((r) => r.status === 200) : true)))).every(Boolean),
        60,
      );
      const readyAt = Date.now();
      const firstOk = await firstOkAfter(back, () => true);
      const syncedAt = await synced;
      const workersAlive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length;
      probeDone = true;
      await probing;
      const during = outcomes.filter((o) => o.at >= from && o.at <= back);
      const withoutRetryAfter = during.filter((o) => o.status === 503 && !o.retryAfter).length;
      const slowest = Math.round(Math.max(0, ...during.map((o) => o.ms)));
      faultReports.push({
        fault,
        recoverySeconds: ready && firstOk && syncedAt && workersAlive === 2 ? (Math.max(readyAt, firstOk) - back) / 1000 : null,
        failedDuringWindow: failedBetween(from, firstOk ?? Date.now()),
        detail:
          `stopped PostgreSQL (fast) for 3 s and started it: /ready ${readiness.includes(false) ? 'went false then ' : 'stayed '}true, ` +
          `${workersAlive} of 2 workers alive, a run succeeded ${syncedAt ? `${((syncedAt - back) / 1000).toFixed(1)} s after` : 'NOT within 90 s of'} the start, ` +
          `${during.filter((o) => o.status === 503).length} requests answered 503 (${withoutRetryAfter} without Retry-After), ` +
          `${during.filter((o) => o.status === 500).length} answered 500, slowest answer during the outage ${slowest} ms`,
      });
    } else if (fault === 'redis-restart') {
      // Redis (the queues, the live events) shut down and started again while runs go on.
      const [{ last }] = (await pool.query<{ last: string }>(`select coalesce(max(id), 0)::text as last from sync_run`)).rows;
      await privateRedis!.stop();
      await sleep(3000);
      await privateRedis!.start();
      const back = Date.now();
      const synced = await waitFor(async () => (await pool.query(`select 1 from sync_run where id > $1 and status = 'SUCCEEDED'`, [last])).rowCount! > 0, 90);
      const syncedAt = Date.now();
      const firstOk = await firstOkAfter(back, () => true);
      const workersAlive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).length;
      faultReports.push({
        fault,
        recoverySeconds: synced && firstOk && workersAlive === 2 ? (Math.max(syncedAt, firstOk) - back) / 1000 : null,
        failedDuringWindow: failedBetween(from, Math.max(syncedAt, firstOk ?? Date.now())),
        detail:
          `shut Redis down for 3 s and started it: ${workersAlive} of 2 workers alive, a run succeeded ` +
          `${synced ? `${((syncedAt - back) / 1000).toFixed(1)} s after` : 'NOT within 90 s of'} the start`,
      });
    } else if (fault === 'slow-upstream') {
      // The transport system answers every request 12 s late (past the connectors' 10 s timeout) for
      // 20 s: its runs fail with a typed timeout and are retried, and the hub's answers, read from its
      // own tables, are not held up by it.
      const [{ last }] = (await pool.query<{ last: string }>(`select coalesce(max(id), 0)::text as last from sync_run`)).rows;
      transport.setFaults({ delayMs: 12_000 });
      await sleep(20_000);
      transport.setFaults({});
      const back = Date.now();
      const synced = await waitFor(
        async () => (await pool.query(`select 1 from sync_run where id > $1 and system = 'TRANSPORT' and status = 'SUCCEEDED'`, [last])).rowCount! > 0,
        120,
      );
      const syncedAt = Date.now();
      const during = outcomes.filter((o) => o.at >= from && o.at <= back);
      const slowest = Math.max(0, ...during.map((o) => o.ms));
      faultReports.push({
        fault,
        recoverySeconds: synced ? (syncedAt - back) / 1000 : null,
        failedDuringWindow: failedBetween(from, back),
        detail:
          `the transport system answered 12 s late for 20 s: ${during.length} requests answered meanwhile (slowest ${Math.round(slowest)} ms), ` +
          `a transport run succeeded ${synced ? `${((syncedAt - back) / 1000).toFixed(1)} s after` : 'NOT within 120 s of'} it was fast again`,
      });
    } else {
      // A lock held on a hot table: reads of it hit the statement timeout instead of piling up.
      const owner = ownerPool(databaseUrl);
      const client = await owner.connect();
      await client.query('begin; lock table vehicle in access exclusive mode');
      await sleep(5000);
      await client.query('rollback');
      client.release();
      await owner.end();
      const back = Date.now();
      const firstOk = await firstOkAfter(back, () => true);
      const timeouts = outcomes.filter((o) => o.at >= from && o.code === 'QUERY_TIMEOUT').length;
      faultReports.push({
        fault,
        recoverySeconds: firstOk ? Math.max(0, firstOk - back) / 1000 : null,
        failedDuringWindow: failedBetween(from, firstOk ?? Date.now()),
        detail: `held an exclusive lock on vehicle for 5 s: ${timeouts} reads answered QUERY_TIMEOUT (503) after the 2 s statement timeout`,
      });
    }
    log(`fault ${fault}: ${faultReports[faultReports.length - 1].detail}`);
  }
  faultsDone = true;
  await loadDone;
  await loopScraping;
  const seconds = (Date.now() - started) / 1000;
  const rssEnd = [...hubs, ...workers].map((p) => rssMbOf(p.child.pid));

  // The sources stop changing; the workers catch up (a killed run's job is retried once BullMQ sees it stalled).
  log('load over: stopping the traffic and waiting for a final sync');
  await traffic.stop();
  const transportTables: Record<string, string[]> = {
    vehicle: world.vehicles.map((r) => contentHash(r)).sort(),
    operator_licence: world.licences.map((r) => contentHash(r)).sort(),
    enforcement_case: world.enforcementCases.map((r) => contentHash(r)).sort(),
    practitioner: world.practitioners.map((r) => contentHash(r)).sort(),
    weighing: world.weighings.map((r) => contentHash(r)).sort(),
  };
  const hashes = async (table: string) =>
    (await pool.query<{ h: string }>(`select provenance_content_hash as h from ${table} where deleted_at is null`)).rows.map((r) => r.h).sort();
  const capturesMissing = async () =>
    Number(
      (
        await pool.query<{ n: string }>(
          `select count(*) as n from psb_exchange.gcjl g where not exists (select 1 from checkpoint_capture c where c.source_serial = g.xh and c.image_ref = g.tpurl)`,
        )
      ).rows[0].n,
    );
  const settled = async () => (await capturesMissing()) === 0 && (await pool.query(`select 1 from sync_run where status = 'RUNNING'`)).rowCount === 0;
  await waitFor(settled, 180);
  const tablesEqualSources: Record<string, boolean> = {};
  for (const [table, want] of Object.entries(transportTables)) tablesEqualSources[table] = JSON.stringify(await hashes(table)) === JSON.stringify(want);
  // The world's history was loaded with serials of its own: the exchange's live captures are told apart by their image.
  const duplicated = Number(
    (
      await pool.query<{ n: string }>(
        `select count(*) as n from (select 1 from checkpoint_capture c join psb_exchange.gcjl g on c.source_serial = g.xh and c.image_ref = g.tpurl
        group by g.xh having count(*) > 1) d`,
      )
    ).rows[0].n,
  );
  const running = Number((await pool.query<{ n: string }>(`select count(*) as n from sync_run where status = 'RUNNING'`)).rows[0].n);
  const missing = await capturesMissing();
  const stuck = (await pool.query(`select * from sync_run where status = 'RUNNING'`).catch(() => ({ rows: [] }))).rows;

  // Each answered request has exactly one event (its token's jti); none has two.
  const answered = outcomes.filter((o) => o.status === 200).map((o) => o.jti);
  const { rows: events } = await pool.query<{ jti: string; n: number }>(
    `select content->>'tokenId' as jti, count(*)::int as n from audit_event where content->>'tokenId' = any($1) group by 1`,
    [[...outcomes.map((o) => o.jti), ...unanswered]],
  );
  const eventsOf = new Map(events.map((e) => [e.jti, e.n]));
  const answeredWithoutOneEvent = answered.filter((jti) => eventsOf.get(jti) !== 1).length + events.filter((e) => e.n > 1).length;

  const workerLog = workers.map((w) => w.err().split('\n').slice(-15).join('\n'));
  await Promise.all([...hubs, ...workers].map((p) => p.stop()));
  const key = loadOrCreateHubKey(config.dataDir);
  const verdict = await new AuditLog(pool).verify(new Map([[key.keyId, publicKeyOf(key)]]));
  await pool.end();
  await Promise.all([transport.close(), registry.close(), credit.close()]);
  await exchange.close();
  await dropDatabase(databaseUrl);
  await embedded?.stop();
  await privateRedis?.stop();
  if (privateRedis) fs.rmSync(privateRedisDir(config.dataDir, `soak-${process.pid}`), { recursive: true, force: true });

  const perOperation: SoakReport['perOperation'] = {};
  for (const name of new Set(outcomes.map((o) => o.name))) {
    const ms = outcomes
      .filter((o) => o.name === name)
      .map((o) => o.ms)
      .sort((a, b) => a - b);
    perOperation[name] = { count: ms.length, p50: Math.round(percentile(ms, 50)), p95: Math.round(percentile(ms, 95)), p99: Math.round(percentile(ms, 99)) };
  }
  const errorsByCode: Record<string, number> = {};
  for (const o of outcomes)
    if (o.status !== 200 || o.code) errorsByCode[`${o.status} ${o.code ?? ''}`.trim()] = (errorsByCode[`${o.status} ${o.code ?? ''}`.trim()] ?? 0) + 1;
  const exactness = {
    answeredWithoutOneEvent,
    chainIntact: verdict.intact,
    runningRuns: running,
    tablesEqualSources,
    capturesMissing: missing,
    capturesDuplicated: duplicated,
  };
  const ok =
    answeredWithoutOneEvent === 0 &&
    verdict.intact &&
    running === 0 &&
    Object.values(tablesEqualSources).every(Boolean) &&
    missing === 0 &&
    duplicated === 0 &&
    faultReports.every((f) => f.recoverySeconds !== null);
  return {
    requests: outcomes.length,
    seconds,
    throughput: Math.round((outcomes.length / seconds) * 10) / 10,
    perOperation,
    errorsByCode,
    faults: faultReports,
    rssMb: { start: rssStart, end: rssEnd },
    eventLoopDelayP99Ms: {
      start: loopWindows[0] ?? [],
      end: loopWindows[loopWindows.length - 1] ?? [],
      max: Math.max(0, ...loopWindows.flat().filter((n) => !Number.isNaN(n))),
    },
    exactness,
    ok,
    ...(ok ? {} : { diagnostics: { running: stuck, workerLog } }),
  };
}
