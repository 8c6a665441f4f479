import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig, projectRoot } from '../../src/config';
import { demoSignIn } from '../../src/demo/demo-sign-in';
import { loadPersistedOperations } from '../../src/export/export-request';
import { dayWindow, monthWindow, REPORTS } from '../../src/http/reports/report-catalogue';
import { execute } from '../support/graphql-client';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { commitBatch } from '../../src/sync/commit-batch';
import { commitCaptureBatch } from '../../src/sync/commit-capture-batch';
import { deriveClues } from '../../src/supervision/clue-derivation';
import { loadClueRules } from '../../src/supervision/clue-rules';
import { startTestHub, type TestHub } from '../support/test-hub';

/** Debian's Chromium (`apt-get install chromium`); CI sets XIETONG_REQUIRE_BROWSER so it cannot be skipped there. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = fs.existsSync(CHROMIUM);
if (!haveChromium && process.env.XIETONG_REQUIRE_BROWSER) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium`);
if (!haveChromium) process.stderr.write(`report page browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
const SCREENSHOTS = path.join(__dirname, '..', '.output');
const ANALYST = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };

/** The little of the browser these checks touch (the project compiles without the DOM library). */
interface ChartWindow {
  document: { getElementById(id: string): unknown };
  echarts: {
    getInstanceByDom(element: unknown): { getOption(): { xAxis: Array<{ data: string[] }>; series: Array<{ name: string; data: Array<number | null> }> } };
  };
}

interface Cells {
  source: string;
  k: number;
  suppressedCells: number;
  cells: Array<{ keys: Array<{ value: string }>; count: number | null; suppressed: boolean; values: Array<{ measure: string; value: number | null }> }>;
}

const BEIJING = 8 * 3_600_000;
const beijing = (at: string, length: number) => new Date(Date.parse(at) + BEIJING).toISOString().slice(0, length);
/** The period (a Beijing month or day) in which most of `times` fall. */
const busiest = (times: readonly string[], length: 7 | 10) => {
  const counts = new Map<string, number>();
  for (const at of times) counts.set(beijing(at, length), (counts.get(beijing(at, length)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0][0];
};

/** What a chart should show for an aggregate's cells: `x|series` → the measure, null for a suppressed cell; zeros left out. */
function expectedOf(result: Cells, measure: string, xKey: 0 | 1): Map<string, number | null> {
  const expected = new Map<string, number | null>();
  for (const cell of result.cells) {
    const value = cell.suppressed ? null : cell.values.find((v) => v.measure === measure)!.value;
    if (value !== 0) expected.set(`${cell.keys[xKey].value}|${cell.keys[1 - xKey].value}`, value);
  }
  return expected;
}

/**
 * The small test world's units are mostly below k: the busiest periods are thickened (records of
 * the world's copied, through the sync's own commits so the rollups follow) so each report has
 * published cells beside suppressed ones.
 */
async function thicken(t: TestHub, periods: { caseMonth: string; weighingMonth: string; flowDay: string }): Promise<void> {
  const cases = t.world.enforcementCases.filter((c) => beijing(c.occurredAt, 7) === periods.caseMonth);
  const weighings = t.world.weighings.filter((w) => beijing(w.measuredAt, 7) === periods.weighingMonth);
  const captures = [...t.world.captures()].flat();
  const day = captures.filter((c) => beijing(c.capturedAt, 10) === periods.flowDay);
  // Every other record copied: units made only of the others stay below k.
  const copies = <T>(records: readonly T[], times: number, copy: (record: T, n: number) => T) =>
    records.filter((_, i) => i % 2 === 0).flatMap((record, i) => Array.from({ length: times }, (_, j) => copy(record, i * times + j)));
  const batch = (stream: string) => ({ system: SourceSystem.TRANSPORT, stream });
  await commitBatch(t.hub.db.pool, batch('reports-cases'), {
    spec: RECORD_TABLES.enforcementCase,
    records: copies(cases, 5, (c, n) => ({ ...c, caseNumber: `苏E交执〔2026〕8${String(n).padStart(4, '0')}号` })),
    quarantine: [],
    cursor: { test: 1 },
    expectedVersion: 0,
    runId: null,
  });
  await commitBatch(t.hub.db.pool, batch('reports-weighings'), {
    spec: RECORD_TABLES.weighing,
    records: copies(weighings, 5, (w, n) => ({ ...w, sourceId: `RPT${n}` })),
    quarantine: [],
    cursor: { test: 1 },
    expectedVersion: 0,
    runId: null,
  });
  const last = Math.max(...captures.map((c) => c.serial));
  await commitCaptureBatch(
    t.hub.db.pool,
    { system: SourceSystem.CHECKPOINT_EXCHANGE, stream: 'reports-captures' },
    {
      captures: copies(day, 10, (c, n) => ({ ...c, serial: last + 1 + n, imageRef: `img://reports/${n}` })),
      quarantine: [],
      cursor: { test: 1 },
      expectedVersion: 0,
      runId: null,
    },
  );
}

describe('report pages', () => {
  let t: TestHub;
  let browser: Browser | null = null;
  let periods: { caseMonth: string; weighingMonth: string; flowDay: string; clueMonth: string };
  const operations = loadPersistedOperations(path.join(projectRoot, 'schema/operations'));
  beforeAll(async () => {
    t = await startTestHub('reports_cells', { hub: { devSignIn: demoSignIn(loadConfig({}).dataDir) } });
    periods = {
      clueMonth: '',
      caseMonth: busiest(
        t.world.enforcementCases.map((c) => c.occurredAt),
        7,
      ),
      weighingMonth: busiest(
        t.world.weighings.filter((w) => w.overloadKg > 0).map((w) => w.measuredAt),
        7,
      ),
      flowDay: busiest(
        [...t.world.captures()].flat().map((c) => c.capturedAt),
        10,
      ),
    };
    await thicken(t, periods);
    // The clues the demo derives at start, and the month most of them start in.
    await deriveClues(t.hub.db.pool, loadClueRules(loadConfig({}).clueRulesFile), { full: true });
    const clueMonths = await t.hub.db.pool.query<{ month: string }>(
      "select to_char(window_start, 'YYYY-MM') as month from clue group by 1 order by count(*) desc, 1 limit 1",
    );
    periods.clueMonth = clueMonths.rows[0]?.month ?? periods.caseMonth;
    if (haveChromium) browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('serves each report page with ECharts and the shared sign-in from the hub, and refuses a period it cannot read', async () => {
    for (const report of REPORTS) {
      const page = await fetch(`${t.hub.url}/reports/${report.name}?month=2026-10`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('/reports/assets/echarts.js');
      expect(html).toContain('/reports/assets/sign-in.js');
      expect(html).not.toMatch(/https?:\/\//);
    }
    const echarts = await fetch(`${t.hub.url}/reports/assets/echarts.js`);
    expect(echarts.status).toBe(200);
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
    // One sign-in script, whichever page loads it.
    const signIn = await (await fetch(`${t.hub.url}/reports/assets/sign-in.js`)).text();
    expect(signIn).toContain('XietongSignIn');
    expect(await (await fetch(`${t.hub.url}/graphiql/assets/sign-in.js`)).text()).toBe(signIn);
    const page = await (await fetch(`${t.hub.url}/reports/assets/page.js`)).text();
    expect(page).not.toMatch(/function (signInAs|readJson|errorText)\b/);
    const bad = await fetch(`${t.hub.url}/reports/monthly-enforcement?month=2026-13`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', argument: 'month' } }] });
    const badDay = await fetch(`${t.hub.url}/reports/traffic-flow?day=2026-02-30`);
    expect(badDay.status).toBe(400);
    expect(await badDay.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', argument: 'day' } }] });
    expect((await fetch(`${t.hub.url}/reports/monthly-enforcement?day=2026-10-01`)).status).toBe(400);
    expect((await fetch(`${t.hub.url}/reports/no-such-report`)).status).toBe(404);
    // Asked for no month, the list and a page link this month, Beijing time (either side of a month's turn while asking).
    const before = beijing(new Date().toISOString(), 7);
    const pages = [await (await fetch(`${t.hub.url}/reports`)).text(), await (await fetch(`${t.hub.url}/reports/monthly-enforcement`)).text()];
    const after = beijing(new Date().toISOString(), 7);
    for (const html of pages) expect([before, after].some((month) => html.includes(`?month=${month}"`))).toBe(true);
  });

  it('exports a report’s persisted operation as the cells the page draws (README’s analyst example)', async () => {
    const report = REPORTS.find((r) => r.name === 'traffic-flow')!;
    const period = { unit: 'day' as const, value: periods.flowDay, ...dayWindow(periods.flowDay) };
    const headers = await t.headersAs(ANALYST);
    const cells = await execute<Record<string, Cells>, unknown>(t.hub.graphqlUrl, operations.get(report.operation)!.query, report.variables(period), headers);
    const response = await fetch(`${t.hub.url}/exports`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ operation: report.operation, format: 'CSV', variables: report.variables(period) }),
    });
    expect(response.status).toBe(200);
    const lines = (await response.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    // A header, then one row per cell.
    expect(lines.length - 1).toBe(cells.data!.captureStats.cells.length);
    expect(lines[0]).toContain('CHECKPOINT');
  });

  /** Opens a report page as the analyst and returns what its chart draws: `x|series` → value (null: a gap), zeros left out. */
  async function drawnOn(url: string, screenshot: string): Promise<{ drawn: Map<string, number | null>; table: string[][] }> {
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(url);
      await page.waitForSelector('#xt-caller option[value="transport-analyst"]', { state: 'attached' });
      await page.selectOption('#xt-caller', 'transport-analyst');
      await page.waitForSelector('#xt-chart[data-state="drawn"], #xt-chart[data-state="no-rows"], #xt-chart[data-state="error"]');
      expect(await page.getAttribute('#xt-chart', 'data-state')).not.toBe('error');
      const option = await page.evaluate(() => {
        const w = globalThis as unknown as ChartWindow;
        const o = w.echarts.getInstanceByDom(w.document.getElementById('xt-chart')).getOption();
        return { xs: o.xAxis[0].data, series: o.series.map((s) => ({ name: s.name, data: s.data })) };
      });
      const drawn = new Map<string, number | null>();
      for (const s of option.series) {
        s.data.forEach((n, i) => {
          if (n !== 0) drawn.set(`${option.xs[i]}|${s.name}`, n);
        });
      }
      const table = await page.$$eval('#xt-table tr', (rows) =>
        rows.map((r) => Array.from(r.children as unknown as ArrayLike<{ textContent: string | null }>, (c) => c.textContent ?? '')),
      );
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SCREENSHOTS, screenshot), fullPage: true });
      expect(problems).toEqual([]);
      return { drawn, table };
    } finally {
      await page.close();
    }
  }

  const aggregateCases = () => {
    const { caseMonth, weighingMonth, flowDay } = periods;
    return [
      { name: 'monthly-enforcement', query: `month=${caseMonth}`, period: monthWindow(caseMonth), extra: {} },
      { name: 'overload-by-station', query: `month=${weighingMonth}`, period: monthWindow(weighingMonth), extra: {} },
      { name: 'traffic-flow', query: `day=${flowDay}`, period: dayWindow(flowDay), extra: { groupBy: ['CHECKPOINT', 'HOUR'] } },
      { name: 'traffic-flow', query: `month=${flowDay.slice(0, 7)}`, period: monthWindow(flowDay.slice(0, 7)), extra: { groupBy: ['CHECKPOINT', 'DAY'] } },
      // The small world's clues are few: their cells may all be suppressed, and are compared as they are.
      { name: 'clue-handling', query: `month=${periods.clueMonth}`, period: monthWindow(periods.clueMonth), extra: {}, fewRecords: true },
    ];
  };

  (haveChromium ? it : it.skip)(
    'draws exactly the cells each aggregate report’s GraphQL operation returns, suppressed cells as gaps, in headless Chromium',
    async () => {
      const headers = await t.headersAs(ANALYST);
      let suppressedSeen = 0;
      for (const { name, query, period, extra, fewRecords } of aggregateCases()) {
        const report = REPORTS.find((r) => r.name === name)!;
        const { field, measure, xKey } = report.grouping;
        const result = await execute<Record<string, Cells>, unknown>(
          t.hub.graphqlUrl,
          operations.get(report.operation)!.query,
          { ...period, ...extra },
          headers,
        );
        expect(result.errors).toBeUndefined();
        const cells = result.data![field];
        const expected = expectedOf(cells, measure, xKey);
        // Numbers to compare, not only gaps.
        if (!fewRecords) expect([...expected.values()].filter((v) => v !== null).length).toBeGreaterThan(0);
        const { drawn, table } = await drawnOn(`${t.hub.url}/reports/${name}?${query}`, `report-${name}-${query.replace('=', '-')}.png`);
        expect(drawn).toEqual(expected);
        // The table says the same: a suppressed cell reads as suppressed, never as 0.
        const series = table[0].slice(1, -1);
        for (const row of table.slice(1)) {
          row.slice(1, -1).forEach((text, i) => {
            const want = expected.has(`${row[0]}|${series[i]}`) ? expected.get(`${row[0]}|${series[i]}`) : 0;
            if (want === null) expect(text).toBe('suppressed');
            else expect(Number(text.replace('*', ''))).toBeCloseTo(want!, 3);
          });
        }
        suppressedSeen += cells.suppressedCells;
        expect([...drawn.values()].filter((v) => v === null)).toHaveLength(cells.suppressedCells);
      }
      // The analyst's k (10 for captures) suppresses the units left thin.
      expect(suppressedSeen).toBeGreaterThan(0);
    },
  );

  (haveChromium ? it : it.skip)('shows a refusal as the API’s error, and no chart', async () => {
    const month = periods.caseMonth;
    const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      // A role whose agreement does not grant the report sees the API's refusal, and no chart.
      await page.goto(`${t.hub.url}/reports/monthly-enforcement?month=${month}`);
      await page.waitForSelector('#xt-caller option[value="auditor"]', { state: 'attached' });
      await page.selectOption('#xt-caller', 'auditor');
      await page.waitForSelector('#xt-chart[data-state="error"]');
      expect(await page.textContent('#xt-status')).toMatch(/FORBIDDEN|PURPOSE/);
    } finally {
      await page.close();
    }
  });
});
