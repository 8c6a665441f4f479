import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * `extensions.aggregateSources` says what an aggregate's `source` field says (rollup or base
 * tables): a caller whose agreement does not grant `AggregateResult.source` gets its aggregates
 * without it, in the extensions as in the data.
 */

const ANALYST: TestCaller = { agency: 'suzhou-transport', roles: ['analyst'], purpose: 'statistics' };
const WINDOW = { from: '2026-11-01T00:00:00+08:00', to: '2027-01-01T00:00:00+08:00' };
const QUERY = `query($from: DateTime!, $to: DateTime!) { caseStats(filter: { from: $from, to: $to }, groupBy: [DIVISION]) { k } }`;

function withoutSource(): string {
  const committed = JSON.parse(fs.readFileSync(path.join(projectRoot, 'schema/policy/agreements.json'), 'utf8'));
  for (const agreement of committed.agreements) {
    if (agreement.allowedOperations) agreement.allowedOperations = agreement.allowedOperations.map((f: string) => path.join(projectRoot, 'schema/policy', f));
    if (agreement.id === 'SZJT-2026-02') agreement.fields.AggregateResult = { '*': 'full', source: 'none' };
  }
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'agreements-')), 'agreements.json');
  fs.writeFileSync(file, JSON.stringify(committed));
  return file;
}

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('aggregate_source_grant', { size: 0.005, env: { AGREEMENTS_FILE: withoutSource() } });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

it('leaves the source out of the extensions for a caller not granted AggregateResult.source', async () => {
  const response = await execute(t.hub.graphqlUrl, QUERY, WINDOW, await t.headersAs(ANALYST));
  expect(response.errors).toBeUndefined();
  expect(response.data).toBeDefined();
  expect((JSON.parse(response.raw) as { extensions?: Record<string, unknown> }).extensions?.aggregateSources).toBeUndefined();
  const asked = await execute(t.hub.graphqlUrl, QUERY.replace('{ k }', '{ k source }'), WINDOW, await t.headersAs(ANALYST));
  expect(asked.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});
