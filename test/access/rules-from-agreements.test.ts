import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { execute } from '../support/graphql-client';
import { ALL_SEEING_OFFICER, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/**
 * Rules that used to be code are the agreements file's: which cases a consumer holds (`cases`),
 * whose data-access reports it reads (`dataAccessReports`) and whose records a type holds
 * (`agencies`). A hub started with a file that changes them decides differently; the committed
 * file's decisions are tested in case-binding, audit-queries and audit-http.
 */
const committedFile = loadConfig({}).agreementsFile;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xt-agreements-'));

interface RawAgreement {
  id: string;
  allowedOperations?: string[];
  dataAccessReports?: string;
  cases?: unknown;
}

function changedAgreementsFile(): string {
  const policy = JSON.parse(fs.readFileSync(committedFile, 'utf8')) as {
    agreements: RawAgreement[];
    agencies: Record<string, { systems?: string[]; provides?: string[] }>;
  };
  const agreement = (id: string) => policy.agreements.find((a) => a.id === id)!;
  // Persisted operations are files beside the committed agreements.
  for (const a of policy.agreements) a.allowedOperations &&= a.allowedOperations.map((file) => path.resolve(path.dirname(committedFile), file));
  // The bureau's auditors read only their own agency's report now; the market regulator reads every agency's.
  delete agreement('SZJT-2026-04').dataAccessReports;
  agreement('SZSJ-2026-01').dataAccessReports = 'every-agency';
  // The bureau's officers hold only the cases transferred to the police.
  agreement('SZJT-2026-01').cases = { holds: [{ field: 'transferredToPolice', equals: true }], allPlates: false };
  // Checkpoints' records are the bureau's, and so is the market registry.
  policy.agencies['suzhou-psb'].provides = ['CheckpointCapture'];
  policy.agencies['suzhou-transport'].provides!.push('Checkpoint');
  policy.agencies['suzhou-amr'].systems = [];
  policy.agencies['suzhou-transport'].systems!.push('MARKET_REGISTRY');
  const file = path.join(dir, 'agreements.json');
  fs.writeFileSync(file, JSON.stringify(policy));
  return file;
}

const AUDITOR: TestCaller = { agency: 'suzhou-transport', roles: ['auditor'] };
const AMR: TestCaller = { agency: 'suzhou-amr', roles: ['officer'] };
const REPORT = 'query($source: String!, $from: DateTime!, $to: DateTime!) { dataAccessReport(source: $source, from: $from, to: $to) { consumerAgency } }';
const RANGE = { from: '2026-01-01T00:00:00Z', to: '2099-01-01T00:00:00Z' };

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('rules_from_agreements', { env: { AGREEMENTS_FILE: changedAgreementsFile() } });
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('rules read from the agreements file', () => {
  it("whose data-access reports a consumer reads is its agreement's", async () => {
    const byAmr = await execute(t.hub.graphqlUrl, REPORT, { ...RANGE, source: 'suzhou-psb' }, await t.headersAs(AMR));
    expect(byAmr.errors).toBeUndefined();
    const byAuditor = await execute(t.hub.graphqlUrl, REPORT, { ...RANGE, source: 'suzhou-amr' }, await t.headersAs(AUDITOR));
    expect(byAuditor.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['dataAccessReport'] });
    const ownByAuditor = await execute(t.hub.graphqlUrl, REPORT, { ...RANGE, source: 'suzhou-transport' }, await t.headersAs(AUDITOR));
    expect(ownByAuditor.errors).toBeUndefined();
  });

  it("which cases a consumer holds is its agreement's", async () => {
    // Open, and in the officer's own division: held under the committed file (case-binding.test.ts).
    const open = t.world.enforcementCases.find((c) => c.status !== 'CLOSED' && !c.transferredToPolice)!;
    const query = 'query($from: DateTime!, $to: DateTime!) { checkpointCaptures(first: 1, filter: { from: $from, to: $to }) { totalCount } }';
    const captures = await execute(
      t.hub.graphqlUrl,
      query,
      { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' },
      await t.headersAs({ ...ALL_SEEING_OFFICER, divisions: [open.divisionCode], caseNumber: open.caseNumber }),
    );
    expect(captures.errors?.[0].extensions).toMatchObject({ code: 'CASE_NOT_VALID', caseNumber: open.caseNumber });
  });

  it("whose records a type holds is the agency registry's, for the audit and for provenance", async () => {
    const { code } = t.world.checkpoints[0];
    const read = await execute(
      t.hub.graphqlUrl,
      'query CheckpointByRegistry($code: String!) { checkpoint(code: $code) { code } }',
      { code },
      await t.headersAs(ALL_SEEING_OFFICER),
    );
    expect(read.errors).toBeUndefined();
    const events = await execute<{ auditEvents: { edges: Array<{ node: { operationName: string; sources: unknown } }> } }, unknown>(
      t.hub.graphqlUrl,
      '{ auditEvents(first: 10, filter: { agency: "suzhou-transport" }) { edges { node { operationName sources { key count } } } } }',
      {},
      await t.headersAs({ ...AUDITOR, purpose: 'audit' }),
    );
    expect(events.errors).toBeUndefined();
    const event = events.data!.auditEvents.edges.find((e) => e.node.operationName === 'CheckpointByRegistry');
    expect(event?.node.sources).toEqual([{ key: 'suzhou-transport', count: 1 }]);

    const enterprise = await execute<{ enterprise: { provenance: { system: string; agency: string } } }, unknown>(
      t.hub.graphqlUrl,
      'query($uscc: String!) { enterprise(uscc: $uscc) { provenance { system agency } } }',
      { uscc: t.world.enterprises[0].uscc },
      await t.headersAs(ALL_SEEING_OFFICER),
    );
    expect(enterprise.errors).toBeUndefined();
    expect(enterprise.data!.enterprise.provenance).toEqual({ system: 'MARKET_REGISTRY', agency: 'suzhou-transport' });
  });
});
