import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig, projectRoot } from '../../src/config';
import { demoSignIn } from '../../src/demo/demo-sign-in';
import { loadPersistedOperations } from '../../src/export/export-request';
import { REPORTS } from '../../src/http/reports/report-catalogue';
import { execute } from '../support/graphql-client';
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
  echarts: { getInstanceByDom(element: unknown): { getOption(): { xAxis: Array<{ data: string[] }>; series: Array<{ name: string; data: number[] }> } } };
}

type Connection = { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: Record<string, unknown> }> };

describe('report pages', () => {
  let t: TestHub;
  const operations = loadPersistedOperations(path.join(projectRoot, 'schema/operations'));
  beforeAll(async () => {
    t = await startTestHub('reports', { hub: { devSignIn: demoSignIn(loadConfig({}).dataDir) } });
  });
  afterAll(async () => t?.close());

  /** The month (Beijing time) in which most of the world's cases occurred. */
  const busiestMonth = () => {
    const months = new Map<string, number>();
    for (const c of t.world.enforcementCases) {
      const month = new Date(Date.parse(c.occurredAt) + 8 * 3600_000).toISOString().slice(0, 7);
      months.set(month, (months.get(month) ?? 0) + 1);
    }
    return [...months].sort((a, b) => b[1] - a[1])[0][0];
  };

  it('serves each report page with ECharts from the hub, and refuses a month it cannot read', async () => {
    for (const report of REPORTS) {
      const page = await fetch(`${t.hub.url}/reports/${report.name}?month=2026-10`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('/reports/assets/echarts.js');
      expect(html).not.toMatch(/https?:\/\//);
    }
    const echarts = await fetch(`${t.hub.url}/reports/assets/echarts.js`);
    expect(echarts.status).toBe(200);
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
    const bad = await fetch(`${t.hub.url}/reports/monthly-enforcement?month=2026-13`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', argument: 'month' } }] });
    expect((await fetch(`${t.hub.url}/reports/no-such-report`)).status).toBe(404);
  });

  (haveChromium ? it : it.skip)('draws the numbers the report’s GraphQL operation returns, signed in as the analyst, in headless Chromium', async () => {
    const month = busiestMonth();
    const report = REPORTS.find((r) => r.name === 'monthly-enforcement')!;
    // What the operation returns to the analyst, counted here by district and violation.
    const expected = new Map<string, number>();
    const headers = await t.headersAs(ANALYST);
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 7);
    for (let after: string | null = null; ;) {
      const result: { data?: { enforcementCases: Connection } | null } = await execute<{ enforcementCases: Connection }, unknown>(
        t.hub.graphqlUrl,
        operations.get(report.operation)!.query,
        { from: `${month}-01T00:00:00+08:00`, to: `${next}-01T00:00:00+08:00`, after },
        headers,
      );
      for (const { node } of result.data!.enforcementCases.edges) {
        const key = `${String(node.divisionCode)}|${String(node.violationCode)}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      if (!result.data!.enforcementCases.pageInfo.hasNextPage) break;
      after = result.data!.enforcementCases.pageInfo.endCursor;
    }
    expect(expected.size).toBeGreaterThan(0);

    let browser: Browser | null = null;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      await page.goto(`${t.hub.url}/reports/${report.name}?month=${month}`);
      await page.waitForSelector('#xt-caller option[value="transport-analyst"]', { state: 'attached' });
      await page.selectOption('#xt-caller', 'transport-analyst');
      await page.waitForSelector('#xt-chart[data-state="drawn"]');
      const option = await page.evaluate(() => {
        const w = globalThis as unknown as ChartWindow;
        const o = w.echarts.getInstanceByDom(w.document.getElementById('xt-chart')).getOption();
        return { xs: o.xAxis[0].data, series: o.series.map((s) => ({ name: s.name, data: s.data })) };
      });
      const drawn = new Map<string, number>();
      for (const s of option.series) {
        s.data.forEach((n, i) => {
          if (n) drawn.set(`${option.xs[i]}|${s.name}`, n);
        });
      }
      expect(drawn).toEqual(expected);
      // The table says the same: one row per district, its total the district's cases.
      const totals = await page.$$eval('#xt-table tr', (rows) => rows.slice(1).map((r) => [r.firstChild!.textContent, r.lastChild!.textContent]));
      for (const [district, total] of totals) {
        expect(Number(total)).toBe([...expected].filter(([k]) => k.startsWith(`${district}|`)).reduce((sum, [, n]) => sum + n, 0));
      }
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `report-${report.name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      process.stdout.write(`report screenshot: ${file}\n`);
      // The other reports render for the analyst too (their months may hold no rows).
      for (const other of REPORTS.filter((r) => r !== report)) {
        await page.goto(`${t.hub.url}/reports/${other.name}?month=${month}`);
        await page.waitForSelector('#xt-caller option[value="transport-analyst"]', { state: 'attached' });
        await page.selectOption('#xt-caller', 'transport-analyst');
        await page.waitForSelector('#xt-chart[data-state="drawn"], #xt-chart[data-state="no-rows"]');
        await page.screenshot({ path: path.join(SCREENSHOTS, `report-${other.name}.png`), fullPage: true });
      }
      // A role whose agreement does not grant the report sees the API's refusal, and no chart.
      await page.goto(`${t.hub.url}/reports/${report.name}?month=${month}`);
      await page.waitForSelector('#xt-caller option[value="auditor"]', { state: 'attached' });
      await page.selectOption('#xt-caller', 'auditor');
      await page.waitForSelector('#xt-chart[data-state="error"]');
      expect(await page.textContent('#xt-status')).toMatch(/FORBIDDEN|PURPOSE/);
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
    }
  });
});
