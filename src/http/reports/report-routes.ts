import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { HubError } from '../../errors';
import { SIGN_IN_SCRIPT } from '../sign-in/sign-in-script';
import { sendStaticAsset, staticAssetOf, type StaticAsset } from '../static-asset';
import { beijingMonth, reportPeriod, REPORTS, type ReportPeriod } from './report-catalogue';
import { REPORT_PAGE_CSS, REPORT_PAGE_SCRIPT, reportHtml } from './report-page';

export const REPORTS_PATH = '/reports';
const ASSETS_PATH = '/reports/assets';

/** The page loads only the hub's own files (ECharts from the installed package) and talks only to the hub. */
const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export interface ReportRouteOptions {
  /** The persisted operations by name (schema/operations): each report's document. */
  operations: ReadonlyMap<string, { query: string }>;
  graphqlPath: string;
  tokenEndpoint: string;
  clientAssertionType: string;
  /** GraphiQL's demo sign-in, when the demo serves it. */
  devSignInPath: string | null;
}

function send(res: http.ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    'content-type': contentType,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-cache',
    'content-security-policy': PAGE_POLICY,
  });
  res.end(body);
}

/**
 * `GET /reports` (the list), `GET /reports/<name>?month=YYYY-MM` (a report page; `?day=YYYY-MM-DD` for one read by the hour) and the pages'
 * assets. The pages hold no data: the browser signs in and runs the report's persisted operation
 * through `/graphql`, so the caller's agreement decides what it shows, as for any request.
 */
export function reportRoutes(options: ReportRouteOptions): (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => Promise<boolean> {
  for (const report of REPORTS) {
    if (!options.operations.has(report.operation)) throw new Error(`report ${report.name}: no persisted operation ${report.operation} in schema/operations`);
  }
  const assets = new Map<string, StaticAsset>([
    // ECharts' own minified build from the installed package: no CDN (see graphiql-assets.ts).
    [
      'echarts.js',
      staticAssetOf(fs.readFileSync(path.join(path.dirname(require.resolve('echarts/package.json')), 'dist/echarts.min.js')), 'text/javascript; charset=utf-8'),
    ],
    // The sign-in GraphiQL's page loads too: one script, whichever page a person signs in on.
    ['sign-in.js', staticAssetOf(Buffer.from(SIGN_IN_SCRIPT, 'utf8'), 'text/javascript; charset=utf-8')],
    ['page.js', staticAssetOf(Buffer.from(REPORT_PAGE_SCRIPT, 'utf8'), 'text/javascript; charset=utf-8')],
    ['page.css', staticAssetOf(Buffer.from(REPORT_PAGE_CSS, 'utf8'), 'text/css; charset=utf-8')],
  ]);
  return async (req, res, url) => {
    if (url.pathname !== REPORTS_PATH && !url.pathname.startsWith(`${REPORTS_PATH}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname.startsWith(`${ASSETS_PATH}/`)) {
      const asset = assets.get(url.pathname.slice(ASSETS_PATH.length + 1));
      if (!asset) send(res, 404, 'text/plain; charset=utf-8', 'not found');
      else sendStaticAsset(req, res, asset, { 'referrer-policy': 'no-referrer' });
      return true;
    }
    if (url.pathname === REPORTS_PATH) {
      const month = url.searchParams.get('month') ?? beijingMonth(new Date());
      const items = REPORTS.map(
        (r) => `<li><a href="${REPORTS_PATH}/${r.name}?month=${encodeURIComponent(month)}">${r.title}</a> — ${r.description}</li>`,
      ).join('\n');
      send(
        res,
        200,
        'text/html; charset=utf-8',
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Xietong reports</title></head><body><h1>Reports</h1><ul>${items}</ul></body></html>`,
      );
      return true;
    }
    const report = REPORTS.find((r) => `${REPORTS_PATH}/${r.name}` === url.pathname);
    if (!report) {
      send(res, 404, 'text/plain; charset=utf-8', `no report here; see ${REPORTS_PATH}`);
      return true;
    }
    let period: ReportPeriod;
    try {
      period = reportPeriod(report, url.searchParams, new Date());
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      send(res, 400, 'application/json; charset=utf-8', JSON.stringify({ errors: [error.answered()] }));
      return true;
    }
    const page = reportHtml(
      {
        report: { name: report.name, title: report.title, description: report.description, purpose: report.purpose, byDay: report.byDay },
        period: { unit: period.unit, value: period.value },
        query: options.operations.get(report.operation)!.query,
        operationName: report.operation,
        variables: report.variables(period),
        grouping: report.grouping,
        graphqlPath: options.graphqlPath,
        tokenEndpoint: options.tokenEndpoint,
        clientAssertionType: options.clientAssertionType,
        devSignInPath: options.devSignInPath,
      },
      ASSETS_PATH,
      REPORTS,
    );
    send(res, 200, 'text/html; charset=utf-8', page);
    return true;
  };
}
