import 'reflect-metadata';
import { Pool } from 'pg';
import { spawnHub } from './spawn-hub';
import { loadWorld } from '../../src/demo/load-world';
import { generateWorld } from '../../src/demo/world';
import { CASE_GROUPS, caseAggregate } from '../../src/domains/enforcement';
import { CAPTURE_GROUPS, captureAggregate } from '../../src/domains/checkpoint';
import { WEIGHING_GROUPS, weighingAggregate } from '../../src/domains/weighing';
import { ReadGateway } from '../../src/read-kit/rows/read-gateway';
import type { AggregateQuery } from '../../src/read-kit/rows/aggregate-query';
import { postGraphQL } from '../support/http-post';
import { hubAccessToken } from '../support/oauth-client';
import { pairedMedians } from './median';
import { runBenchmark } from './bench-database';
import { analystKs, HAND_WRITTEN, reportQueries, type ReportName, type ReportWindow } from './report-queries';

/** Goal of issue 14: each report answered from the rollups in under 50 ms (p50) and within 2 × the hand-written GROUP BY on them. */
const GOAL_MS = 50;
const GOAL_RATIO = 2;
/** About this long (ms) of timed requests per pair; a slow query gets fewer runs, never fewer than 15. */
const BUDGET_MS = 20_000;
/** Statement timeout of the hubs and the gateway the bench runs. */
const TIMEOUT_MS = 600_000;

interface HubCell {
  keys: Array<{ value: string }>;
  count: number | null;
}

interface HubAnswer {
  data?: Record<string, { source: string; truncated: boolean; cells: HubCell[] }>;
  errors?: unknown[];
}

/** What one report's query is, three ways: through the hub, by hand on the rollup, and the hub's own statement over the base table. */
interface ReportCase {
  label: string;
  field: string;
  query: string;
  variables: Record<string, unknown>;
  rollupSql: string;
  params: unknown[];
  base: AggregateQuery<object>;
}

/** A report's hand-written statement and its parameters over a window, with the analyst's k (`analystKs`). */
const handWritten = (name: ReportName, window: ReportWindow, k: Record<ReportName, number>) => ({
  rollupSql: HAND_WRITTEN[name].sql,
  params: [window.from, window.to, k[name]],
});

/**
 * `npm run bench:reports`: the report queries of issue 14 on a demo world of `DEMO_SIZE` (the
 * script's default 2: twice the default demo), in one run against hand-written SQL on the same database —
 * 12 months of cases by month, district and code; one month of traffic flow by checkpoint and hour;
 * 12 months of weighings by station and month with their overload measures. Each is timed (p50)
 * through the hub's HTTP API as the analyst (token, agreement, aggregate grant, suppression, audit)
 * and as the hand-written GROUP BY on the rollup table that gives the same cells (k applied to the
 * same units), printed with their ratio against the goal; then the stack's floor (`graphql-floor.ts`:
 * the same cells served as GraphQL over HTTP with nothing of the hub, paired with the SQL), which
 * tells what of the gap is the stack's and what the hub's; then the base-table fallback: the hub's
 * own statement with the rollup withheld, run in process through the read gateway.
 */
runBenchmark('reports', async (config, db) => {
  const size = config.demoSize;
  const world = generateWorld({ seed: 20211, size });
  console.log(
    `loading a world of size ${size} (${world.captureCount.toLocaleString('en')} captures, ${world.enforcementCases.length} cases, ${world.weighings.length} weighings)…`,
  );
  const loadStart = Date.now();
  await loadWorld(db.pool, world);
  await db.orm.em.fork().execute('analyze');
  console.log(`  loaded in ${((Date.now() - loadStart) / 1000).toFixed(0)} s`);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  const gateway = new ReadGateway(db, { statementTimeoutMs: TIMEOUT_MS, onIdleError: (error) => console.error(error) });
  // The open hub (no access control, benchmarks only) tells what of the hub's time is access control and audit.
  // A month of flow at DEMO_SIZE 2 reads most of a million rollup rows: longer than the deployed
  // statement timeout (5 s) on a shared machine, which would cancel what is being measured.
  const env = { READ_STATEMENT_TIMEOUT_MS: String(TIMEOUT_MS) };
  const [hub, open, floor] = await Promise.all([
    spawnHub(config.databaseUrl, { env }),
    spawnHub(config.databaseUrl, { accessControl: false, env }),
    spawnHub(config.databaseUrl, { entry: 'dist/test/bench/graphql-floor.js' }),
  ]);
  try {
    const token = (await hubAccessToken(hub.graphqlUrl.replace(/\/graphql$/, ''), 'suzhou-transport', 'role:analyst')).access_token;
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'statistics' };
    const counts = async (sql: string) => Number((await pool.query<{ n: string }>(sql)).rows[0].n);
    const rollupRows = {
      case: await counts('select count(*) as n from case_rollup'),
      capture: await counts('select count(*) as n from capture_rollup'),
      weighing: await counts('select count(*) as n from weighing_rollup'),
    };
    console.log(`  rollup rows: case ${rollupRows.case}, capture ${rollupRows.capture}, weighing ${rollupRows.weighing}`);

    const { year, month, monthStart, ...q } = reportQueries(world);
    const k = await analystKs();
    const at = (w: { from: string; to: string }) => ({ gte: new Date(w.from), lt: new Date(w.to) });
    const reports: ReportCase[] = [
      {
        label: `cases, 12 months by month × district × violation code`,
        field: 'caseStats',
        ...q.cases,
        ...handWritten('cases', year, k),
        base: {
          fact: { ...caseAggregate, rollup: null } as never,
          where: { occurredAt: at(year) },
          groups: [CASE_GROUPS.MONTH, CASE_GROUPS.DIVISION, CASE_GROUPS.VIOLATION_CODE],
          unitReads: {},
          measures: [],
          k: k.cases,
          first: 5000,
          order: 'KEYS',
        },
      },
      {
        label: `traffic flow, ${monthStart.slice(0, 7)} by hour × checkpoint (first 5,000 cells)`,
        field: 'captureStats',
        ...q.flow,
        ...handWritten('flow', month, k),
        base: {
          fact: { ...captureAggregate, rollup: null } as never,
          where: { capturedAt: at(month) },
          groups: [CAPTURE_GROUPS.HOUR, CAPTURE_GROUPS.CHECKPOINT],
          unitReads: {},
          measures: [],
          k: k.flow,
          first: 5000,
          order: 'KEYS',
        },
      },
      {
        label: `overload, 12 months by station × month (count, overloaded, rate, max ratio)`,
        field: 'weighingStats',
        ...q.weighings,
        ...handWritten('weighings', year, k),
        base: {
          fact: { ...weighingAggregate, rollup: null } as never,
          where: { measuredAt: at(year) },
          groups: [WEIGHING_GROUPS.STATION, WEIGHING_GROUPS.MONTH],
          unitReads: {},
          measures: ['OVERLOADED', 'MAX_RATIO'],
          k: k.weighings,
          first: 5000,
          order: 'KEYS',
        },
      },
    ];

    const rollupOf: Record<string, AggregateQuery<object>['fact']> = {
      caseStats: caseAggregate as never,
      captureStats: captureAggregate as never,
      weighingStats: weighingAggregate as never,
    };
    const results: string[] = [];
    for (const report of reports) {
      const viaHub = () => postGraphQL(hub.graphqlUrl, report.query, report.variables, headers);
      const byHand = () => pool.query(report.rollupSql, report.params);
      const viaFloor = () => postGraphQL(floor.graphqlUrl, report.query, report.variables);
      const fromBase = () => gateway.forRequest({}).aggregate(report.base);
      // The hub's own statement on the rollup, without HTTP or GraphQL: what of the hub's time is SQL.
      const fromRollup = () => gateway.forRequest({}).aggregate({ ...report.base, fact: rollupOf[report.field] });
      // The same cells three ways, or the comparison means nothing.
      const answer = JSON.parse(await viaHub()) as HubAnswer;
      if (answer.errors || !answer.data) throw new Error(`${report.label}: the hub refused: ${JSON.stringify(answer.errors)}`);
      const result = answer.data[report.field];
      const hand = (await byHand()).rows as Array<{ n: string | null }>;
      const base = await fromBase();
      const published = (ns: Array<number | null>) => ns.reduce<number>((s, n) => s + (n ?? 0), 0);
      const sums = [
        published(result.cells.map((c) => c.count)),
        published(hand.slice(0, 5000).map((r) => (r.n === null ? null : Number(r.n)))),
        published(base.rows.map((r) => r.count)),
      ];
      if (result.source !== 'ROLLUP' || base.source !== 'BASE' || new Set(sums).size !== 1 || result.cells.length !== Math.min(hand.length, 5000)) {
        throw new Error(`${report.label}: the answers differ: hub ${result.source} ${result.cells.length} cells, sums (hub, SQL, base) ${sums.join(', ')}`);
      }
      // The floor serves the same keys and counts, cell for cell.
      const keysAndCounts = (cells: HubCell[]) => JSON.stringify(cells.map((c) => [c.keys.map((k) => k.value), c.count]));
      const floorCells = (JSON.parse(await viaFloor()) as HubAnswer).data?.[report.field]?.cells;
      if (!floorCells || keysAndCounts(floorCells) !== keysAndCounts(result.cells))
        throw new Error(`${report.label}: the stack's floor answers other cells than the hub`);
      const probe = Date.now();
      await viaHub();
      await byHand();
      const runs = Math.max(15, Math.min(300, Math.floor(BUDGET_MS / Math.max(1, Date.now() - probe))));
      const warmup = Math.max(2, Math.min(30, Math.floor(runs / 10)));
      const cpuBefore = hub.cpuMs();
      const [hubMs, sqlMs] = await pairedMedians(viaHub, byHand, runs, warmup);
      const hubCpuMs = (hub.cpuMs() - cpuBefore) / (runs + warmup);
      const baseRuns = Math.max(5, Math.min(50, runs));
      // The hub's statement paired with the hand-written one (alternating with the base-table
      // fallback's scans of seconds slowed it), then the fallback alone.
      const [statementMs, handMs] = await pairedMedians(fromRollup, byHand, Math.max(15, Math.min(100, runs)), 3);
      const [floorMs, floorSqlMs] = await pairedMedians(viaFloor, byHand, Math.max(15, Math.min(150, runs)), 3);
      const [baseMs] = await pairedMedians(fromBase, async () => undefined, baseRuns, 3);
      const [openMs] = await pairedMedians(
        () => postGraphQL(open.graphqlUrl, report.query, report.variables),
        async () => undefined,
        baseRuns,
        3,
      );
      const ratio = hubMs / sqlMs;
      const met = hubMs < GOAL_MS && ratio <= GOAL_RATIO;
      const line =
        `${report.label}: ${result.cells.length} cells, ${sums[0].toLocaleString('en')} records published${result.truncated ? ', truncated' : ''}\n` +
        `  hub (HTTP, analyst, from ${result.source}) p50 ${hubMs.toFixed(2)} ms · hand-written GROUP BY on the rollup p50 ${sqlMs.toFixed(2)} ms · ratio ${ratio.toFixed(2)} · ` +
        `goal < ${GOAL_MS} ms and ≤ ${GOAL_RATIO}× SQL: ${met ? 'met' : 'NOT met'} (${runs} runs)\n` +
        `  where the hub's time goes: its statement on the rollup (in process) p50 ${statementMs.toFixed(2)} ms against the hand-written ${handMs.toFixed(2)} ms; the hub without access control and audit p50 ${openMs.toFixed(2)} ms; ` +
        `the hub's CPU per request (mean, its process) ${hubCpuMs.toFixed(1)} ms\n` +
        `  the stack's floor (Node's http, graphql-jit and pg serving the hand-written statement's cells, nothing of the hub) p50 ${floorMs.toFixed(2)} ms against the hand-written ${floorSqlMs.toFixed(2)} ms · ratio ${(floorMs / floorSqlMs).toFixed(2)}\n` +
        `  base-table fallback (the hub's statement over the fact table, in process) p50 ${baseMs.toFixed(2)} ms (${baseRuns} runs)`;
      console.log(line);
      results.push(line);
    }
    console.log(`\nsummary (DEMO_SIZE=${size}, ${world.captureCount.toLocaleString('en')} captures):\n${results.join('\n')}`);
  } finally {
    await Promise.all([hub.stop(), open.stop(), floor.stop()]);
    await gateway.close();
    await pool.end();
  }
});
