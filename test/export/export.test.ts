import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { decodeJwt } from 'jose';
import { loadAgencies } from '../../src/access/agreements';
import { revokeTokens } from '../../src/auth';
import { loadConfig } from '../../src/config';
import { execute } from '../support/graphql-client';
import { policeWithAllPlates } from '../support/all-plates';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';
import type { AuditEventContent } from '../../src/audit/audit-event';
import { parseCsv } from '../support/csv';

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };

const ENTERPRISES = `query Firms($after: String) {
  enterprises(first: 7, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { uscc name legalRepresentative divisionCode } }
  }
}`;

const CAPTURES = `query Captures($from: DateTime!, $to: DateTime!, $after: String) {
  checkpointCaptures(first: 500, after: $after, filter: { from: $from, to: $to }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { capturedAt checkpointCode plateNumber plateColor direction } }
  }
}`;

let t: TestHub;
const post = async (body: unknown, headers: Record<string, string>) =>
  fetch(`${t.hub.url}/exports`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const exportEvents = async (id: string) =>
  (
    await t.hub.db.pool.query<{ content: AuditEventContent }>(`select content from audit_event where content->'export'->>'id' = $1 order by seq`, [id])
  ).rows.map((r) => r.content);

type ExportStatus = {
  state: string;
  progress: { rows: number } | null;
  result: { rows: number } | null;
  error: { code: string } | null;
  download?: { url: string; expiresAt: string };
};
/** The export's status once it is done or failed, asked with `headers`. */
const settled = async (statusUrl: string, headers: Record<string, string>): Promise<ExportStatus> => {
  for (;;) {
    const status = (await (await fetch(`${t.hub.url}${statusUrl}`, { headers })).json()) as ExportStatus;
    if (status.state === 'done' || status.state === 'failed') return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
/** Revokes the token of `headers` as the operator's command does, and waits until the hub refuses it. */
const revoke = async (headers: Record<string, string>, statusUrl: string) => {
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL! });
  const jti = decodeJwt(headers.authorization.slice('Bearer '.length)).jti!;
  await revokeTokens(t.hub.db.pool, loadAgencies(config.agreementsFile), { jti }, 'hub-operator/test', async () => undefined);
  while ((await fetch(`${t.hub.url}${statusUrl}`, { headers })).status !== 401) await new Promise((resolve) => setTimeout(resolve, 50));
};
const exportFileOf = (id: string) => path.join(loadConfig({ DATABASE_URL: process.env.DATABASE_URL! }).dataDir, 'exports', `${id}.csv`);

beforeAll(async () => {
  t = await startTestHub('export');
});
afterAll(async () => t?.close());

describe('POST /exports', () => {
  it('streams a connection as CSV with a byte-order mark, page by page, masked as the query is, each page audited', async () => {
    const headers = await t.headersAs(ANALYST);
    const response = await post({ query: ENTERPRISES }, headers);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const id = response.headers.get('x-export-id')!;
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.toString('utf8'));
    expect(header).toEqual(['uscc', 'name', 'legalRepresentative', 'divisionCode']);
    // Every enterprise, as the GraphQL query pages them, the masked name masked alike.
    const all: Array<Record<string, string>> = [];
    type Page = { enterprises: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: Array<{ node: Record<string, string> }> } };
    for (let after: string | null = null; ;) {
      const page: { data?: Page | null } = await execute<Page, unknown>(t.hub.graphqlUrl, ENTERPRISES, { after }, headers);
      all.push(...page.data!.enterprises.edges.map((e) => e.node));
      if (!page.data!.enterprises.pageInfo.hasNextPage) break;
      after = page.data!.enterprises.pageInfo.endCursor;
    }
    expect(rows).toEqual(all.map((n) => [n.uscc, n.name, n.legalRepresentative, n.divisionCode]));
    expect(rows.length).toBe(t.world.enterprises.length);
    const byUscc = new Map(t.world.enterprises.map((e) => [e.uscc, e]));
    for (const [uscc, name, representative] of rows) {
      expect(name).toBe(byUscc.get(uscc)!.name);
      expect(representative).not.toBe(byUscc.get(uscc)!.legalRepresentative);
      expect(representative).toContain('*');
    }
    // Chinese text survives as UTF-8.
    expect(rows.some(([, name]) => /[\u4e00-\u9fff]/.test(name))).toBe(true);
    const events = await exportEvents(id);
    expect(events.map((e) => e.export!.page)).toEqual(Array.from({ length: Math.ceil(rows.length / 7) }, (_, i) => i + 1));
    expect(events.every((e) => e.agency === 'suzhou-transport' && e.purpose === 'statistics' && e.outcome === 'OK')).toBe(true);
    expect(events.reduce((sum, e) => sum + (e.fieldsReturned['Enterprise.uscc'] ?? 0), 0)).toBe(rows.length);
  });

  it('refuses an export of a type the caller may not read with the query’s typed error, before any read, and queues nothing', async () => {
    const headers = await t.headersAs(ANALYST);
    const { statements, result } = await t.hub.db.counter.measure(async () => {
      const response = await post({ query: CAPTURES, variables: { from: '2020-01-01T00:00:00Z', to: '2020-01-20T00:00:00Z' }, queued: true }, headers);
      return { status: response.status, body: (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> } };
    });
    expect(result.status).toBe(403);
    expect(result.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['checkpointCaptures'] });
    expect(statements).toBe(0);
    const { rows } = await t.hub.db.pool.query<{ content: AuditEventContent }>('select content from audit_event order by seq desc limit 1');
    expect(rows[0].content).toMatchObject({ outcome: 'DENIED', refusal: 'FORBIDDEN', export: { page: 1, format: 'CSV' } });
  });

  it('refuses a body it cannot export with a typed error naming the part', async () => {
    const headers = await t.headersAs(ANALYST);
    const cases: Array<[unknown, string]> = [
      [{ query: '{ enterprises { totalCount } }' }, 'query'],
      [{ query: ENTERPRISES.replace('pageInfo { hasNextPage endCursor }', '') }, 'query'],
      [{ query: ENTERPRISES.replace('after: $after', '') }, 'query'],
      [{ query: ENTERPRISES, format: 'PDF' }, 'format'],
      [{ operation: 'NoSuchReport' }, 'operation'],
      [{ query: 'mutation { x }' }, 'query'],
      ['[]', 'body'],
    ];
    for (const [body, argument] of cases) {
      const response = await post(body, headers);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    }
    expect((await post({ query: ENTERPRISES }, {})).status).toBe(401);
  });

  it('writes XLSX a spreadsheet opens, the same rows', async () => {
    const response = await post({ query: ENTERPRISES, format: 'XLSX' }, await t.headersAs(ANALYST));
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([undefined, 'uscc', 'name', 'legalRepresentative', 'divisionCode']);
    expect(sheet.rowCount).toBe(t.world.enterprises.length + 1);
    const names = new Set(t.world.enterprises.map((e) => e.name));
    expect(names.has(String(sheet.getRow(2).getCell(2).value))).toBe(true);
  });

  it('queues a large export, reports progress, and hands its owner alone an expiring download link', async () => {
    const police = await policeWithAllPlates(t);
    const headers = await t.headersAs(police);
    const window = { from: '2000-01-01T00:00:00Z', to: '2000-01-01T00:00:00Z' };
    const captures = [...t.world.captures()].flat().sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    window.from = captures[0].capturedAt;
    window.to = new Date(Math.min(Date.parse(captures[0].capturedAt) + 20 * 86_400_000, Date.parse(captures.at(-1)!.capturedAt) + 1)).toISOString();
    const expected = captures.filter((c) => c.capturedAt >= window.from && Date.parse(c.capturedAt) < Date.parse(window.to)).length;
    const started = await post({ query: CAPTURES, variables: window, queued: true }, headers);
    expect(started.status).toBe(202);
    const { id, statusUrl } = (await started.json()) as { id: string; statusUrl: string };
    let status: { state: string; progress: { rows: number } | null; result: { rows: number } | null; download?: { url: string; expiresAt: string } };
    for (;;) {
      status = (await (await fetch(`${t.hub.url}${statusUrl}`, { headers })).json()) as typeof status;
      if (status.state === 'done' || status.state === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.state).toBe('done');
    expect(status.result!.rows).toBe(expected);
    expect(Date.parse(status.download!.expiresAt)).toBeGreaterThan(Date.now());
    // Another officer of the same agency sees neither the export nor its file.
    const other = await t.headersAs({ ...police, subject: 'someone-else' } as TestCaller);
    expect((await fetch(`${t.hub.url}${statusUrl}`, { headers: other })).status).toBe(404);
    expect((await fetch(`${t.hub.url}${status.download!.url}`, { headers: other })).status).toBe(403);
    expect((await fetch(`${t.hub.url}${status.download!.url.replace(/signature=./, 'signature=A')}`, { headers })).status).toBe(403);
    expect((await fetch(`${t.hub.url}${status.download!.url}`)).status).toBe(401);
    const file = await fetch(`${t.hub.url}${status.download!.url}`, { headers });
    expect(file.status).toBe(200);
    const rows = parseCsv(await file.text());
    expect(rows.length).toBe(expected + 1);
    const events = await exportEvents(id);
    expect(events.length).toBe(Math.max(1, Math.ceil(expected / 500)) + 1);
    expect(events.every((e) => e.caseScope === 'ALL_PLATES' && e.agency === 'suzhou-psb')).toBe(true);
  });

  it('never says done without the result, however close a look falls to the finish', async () => {
    // The window between the job's finish and its owner's look is a few hundred microseconds:
    // looked at without pause, each of these exports is seen in it with fair odds.
    const headers = await t.headersAs(ANALYST);
    const seen: ExportStatus[] = [];
    for (let n = 0; n < 12; n++) {
      const started = await post({ query: ENTERPRISES, queued: true }, headers);
      const { statusUrl } = (await started.json()) as { statusUrl: string };
      // Bounded, so an export that never ends fails here rather than flooding the hub until jest's timeout.
      for (let looks = 0; looks < 2_000; looks++) {
        const status = (await (await fetch(`${t.hub.url}${statusUrl}`, { headers })).json()) as ExportStatus;
        seen.push(status);
        if (status.state === 'done' || status.state === 'failed') break;
      }
    }
    const done = seen.filter((s) => s.state === 'done');
    expect(done.length).toBe(12);
    expect(done.filter((s) => s.result === null)).toEqual([]);
    expect(done.every((s) => s.result!.rows === t.world.enterprises.length)).toBe(true);
  });

  it('stops a queued export whose token is revoked while it runs, and keeps no file of it', async () => {
    const police = await policeWithAllPlates(t);
    const headers = await t.headersAs(police);
    const captures = [...t.world.captures()].flat().sort((a, b) => a.capturedAt.localeCompare(b.capturedAt));
    const window = { from: captures[0].capturedAt, to: new Date(Date.parse(captures.at(-1)!.capturedAt) + 1).toISOString() };
    const started = await post({ query: CAPTURES, variables: window, queued: true }, headers);
    expect(started.status).toBe(202);
    const { id, statusUrl } = (await started.json()) as { id: string; statusUrl: string };
    await revoke(headers, statusUrl);
    // The same officer with a new token sees why: the pages stopped (or, finished first, the file went).
    const status = await settled(statusUrl, await t.headersAs(police));
    expect(status).toMatchObject({ state: 'failed', error: { code: 'TOKEN_REVOKED' }, result: null });
    expect(status.download).toBeUndefined();
    expect(fs.existsSync(exportFileOf(id))).toBe(false);
    expect(fs.existsSync(`${exportFileOf(id)}.part`)).toBe(false);
  });

  it('refuses the download link of an export whose token was revoked after it finished, and removes the file', async () => {
    const headers = await t.headersAs(ANALYST);
    const started = await post({ query: ENTERPRISES, queued: true }, headers);
    expect(started.status).toBe(202);
    const { id, statusUrl } = (await started.json()) as { id: string; statusUrl: string };
    const done = await settled(statusUrl, headers);
    expect(done.state).toBe('done');
    expect(fs.existsSync(exportFileOf(id))).toBe(true);
    await revoke(headers, statusUrl);
    const fresh = await t.headersAs(ANALYST);
    const file = await fetch(`${t.hub.url}${done.download!.url}`, { headers: fresh });
    expect(file.status).toBe(401);
    expect(((await file.json()) as { errors: Array<{ extensions: unknown }> }).errors[0].extensions).toEqual({
      code: 'UNAUTHENTICATED',
      reason: 'TOKEN_REVOKED',
    });
    expect(fs.existsSync(exportFileOf(id))).toBe(false);
    expect(await settled(statusUrl, fresh)).toMatchObject({ state: 'failed', error: { code: 'TOKEN_REVOKED' } });
  });
});
