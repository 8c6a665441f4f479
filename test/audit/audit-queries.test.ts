import { execute } from '../support/graphql-client';
import { openCaseWithCaptures } from '../support/case-with-captures';
import { ALL_SEEING_OFFICER, bookkeepingOf, startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

const AUDITOR: TestCaller = { agency: 'suzhou-transport', roles: ['auditor'] };
const PSB: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'] };
const AMR: TestCaller = { agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection' };

let t: TestHub;
let started: Date;
beforeAll(async () => {
  t = await startTestHub('audit_queries');
  started = new Date(Date.now() - 1000);
});
afterAll(async () => {
  await t?.close();
});

describe('the audit trail through GraphQL', () => {
  it("auditors list events newest first with filters; the officer's captures read is there with its case number", async () => {
    // A case whose vehicles were captured: a case unlocks only their captures.
    const {
      case: openCase,
      captures: [capture],
    } = openCaseWithCaptures(t.world);
    const from = new Date(new Date(capture.capturedAt).getTime() - 3600_000).toISOString();
    const to = new Date(new Date(capture.capturedAt).getTime() + 3600_000).toISOString();
    const read = await execute(
      t.hub.graphqlUrl,
      `query OfficerCaptures($from: DateTime!, $to: DateTime!) {
      checkpointCaptures(first: 5, filter: { from: $from, to: $to }) { edges { node { plateNumber capturedAt } } } }`,
      { from, to },
      await t.headersAs({ ...ALL_SEEING_OFFICER, caseNumber: openCase.caseNumber }),
    );
    expect(read.errors).toBeUndefined();
    const returned = (read.data as { checkpointCaptures: { edges: unknown[] } }).checkpointCaptures.edges.length;
    expect(returned).toBeGreaterThan(0);

    const events = await execute<{ auditEvents: { totalCount: number; edges: Array<{ node: Record<string, unknown> }> } }, unknown>(
      t.hub.graphqlUrl,
      `{ auditEvents(first: 5, filter: { agency: "suzhou-transport", outcome: "OK" }) { totalCount edges { node {
        seq agency subject roles agreement purpose caseNumber operationName documentHash variables outcome
        fieldsReturned { key count } sources { key count } } } } }`,
      {},
      await t.headersAs(AUDITOR),
    );
    expect(events.errors).toBeUndefined();
    const officerRead = events.data!.auditEvents.edges.map((e) => e.node).find((n) => n.operationName === 'OfficerCaptures')!;
    expect(officerRead).toMatchObject({
      agency: 'suzhou-transport',
      roles: ['officer'],
      agreement: 'SZJT-2026-01',
      purpose: 'case-investigation',
      caseNumber: openCase.caseNumber,
      outcome: 'OK',
      sources: [{ key: 'suzhou-psb', count: returned }],
    });
    expect(officerRead.fieldsReturned).toEqual(expect.arrayContaining([{ key: 'CheckpointCapture.plateNumber', count: returned }]));
    expect(JSON.parse(officerRead.variables as string)).toEqual({ from, to });
    const seqs = events.data!.auditEvents.edges.map((e) => Number(e.node.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  });

  it('verifyAuditChain reports the chain intact', async () => {
    const verdict = await execute<{ verifyAuditChain: { intact: boolean; events: number } }, unknown>(
      t.hub.graphqlUrl,
      '{ verifyAuditChain { intact events firstBrokenSeq reason } }',
      {},
      await t.headersAs(AUDITOR),
    );
    expect(verdict.data!.verifyAuditChain).toMatchObject({ intact: true, firstBrokenSeq: null });
    expect(verdict.data!.verifyAuditChain.events).toBeGreaterThan(1);
  });

  it("a providing agency sees who consumed its data; not another agency's report", async () => {
    const range = { from: started.toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const report = await execute<{ dataAccessReport: Array<{ consumerAgency: string; purpose: string; operations: number; records: number }> }, unknown>(
      t.hub.graphqlUrl,
      'query($from: DateTime!, $to: DateTime!) { dataAccessReport(source: "suzhou-psb", from: $from, to: $to) { consumerAgency purpose operations records } }',
      range,
      await t.headersAs(PSB),
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.dataAccessReport).toEqual([
      expect.objectContaining({ consumerAgency: 'suzhou-transport', purpose: 'case-investigation', operations: 1 }),
    ]);
    expect(report.data!.dataAccessReport[0].records).toBeGreaterThan(0);

    const other = await execute(
      t.hub.graphqlUrl,
      'query($from: DateTime!, $to: DateTime!) { dataAccessReport(source: "suzhou-amr", from: $from, to: $to) { consumerAgency } }',
      range,
      await t.headersAs(PSB),
    );
    expect(other.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });

    const byAuditor = await execute<{ dataAccessReport: unknown[] }, unknown>(
      t.hub.graphqlUrl,
      'query($from: DateTime!, $to: DateTime!) { dataAccessReport(source: "suzhou-amr", from: $from, to: $to) { consumerAgency } }',
      range,
      await t.headersAs(AUDITOR),
    );
    expect(byAuditor.errors).toBeUndefined();
  });

  it('is closed to callers whose agreement does not name it', async () => {
    const result = await execute(t.hub.graphqlUrl, '{ auditEvents { totalCount } verifyAuditChain { intact } }', {}, await t.headersAs(AMR));
    expect(result.status).toBe(403);
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['auditEvents', 'verifyAuditChain'] });
  });
});

describe('federation reads in the audit', () => {
  it('records the entities _entities returned under their own types and providing agency', async () => {
    const shanghai = { agency: 'shanghai-transport', roles: ['officer'], purpose: 'cross-region-enforcement' };
    const plates = t.world.vehicles.filter((v) => v.plateNumber.startsWith('沪')).slice(0, 2);
    expect(plates).toHaveLength(2);
    const representations = plates.map((v) => ({ __typename: 'Vehicle', plateNumber: v.plateNumber, plateColor: v.plateColor }));
    const read = await execute(
      t.hub.graphqlUrl,
      'query PeerLookup($r: [_Any!]!) { _entities(representations: $r) { ... on Vehicle { plateNumber vin } } }',
      { r: representations },
      await t.headersAs(shanghai),
    );
    expect(read.errors).toBeUndefined();
    const events = await execute<{ auditEvents: { edges: Array<{ node: { operationName: string; sources: unknown; fieldsReturned: unknown } }> } }, unknown>(
      t.hub.graphqlUrl,
      '{ auditEvents(first: 5, filter: { agency: "shanghai-transport" }) { edges { node { operationName sources { key count } fieldsReturned { key count } } } } }',
      {},
      await t.headersAs(AUDITOR),
    );
    const lookup = events.data!.auditEvents.edges.map((e) => e.node).find((n) => n.operationName === 'PeerLookup')!;
    expect(lookup.sources).toEqual([{ key: 'suzhou-transport', count: 2 }]);
    expect(lookup.fieldsReturned).toEqual(
      expect.arrayContaining([
        { key: 'Vehicle.plateNumber', count: 2 },
        { key: 'Vehicle.vin', count: 2 },
      ]),
    );
  });
});

describe('what the audit cannot read, it does not keep', () => {
  it('a document that does not parse has every variable digested', async () => {
    const id = t.world.practitioners[0].idNumber;
    const broken = await execute(
      t.hub.graphqlUrl,
      'query Broken($id: String!) { practitioner(idNumber: $id) { name }',
      { id },
      await t.headersAs(ALL_SEEING_OFFICER),
    );
    expect(broken.errors?.[0].extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    const [row] = await bookkeepingOf(t.hub).query<{ content: { variables: Record<string, string>; outcome: string } }>(
      'select content from audit_event order by seq desc limit 1',
    );
    expect(row.content.outcome).toBe('ERROR');
    expect(row.content.variables.id).toMatch(/^\[redacted [0-9a-f]{16}\]$/);
  });

  it('automatic persisted queries are off: a hash alone runs nothing', async () => {
    const result = await execute(t.hub.graphqlUrl, '', undefined, await t.headersAs(ALL_SEEING_OFFICER));
    expect(result.status).toBe(400);
    const hashOnly = await fetch(t.hub.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await t.headersAs(ALL_SEEING_OFFICER)) },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } }),
    });
    const body = (await hashOnly.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });
});

describe('signed chain heads', () => {
  it('the hub signs the chain head by itself at its interval, so a cut tail is caught without anyone asking', async () => {
    const hub = await startTestHub('audit_heads', { size: 0.005, hub: { auditHeadIntervalMs: 100 } });
    try {
      await execute(hub.hub.graphqlUrl, '{ __typename }', {}, await hub.headersAs(AUDITOR));
      const newest = async () => (await bookkeepingOf(hub.hub).query<{ seq: string }>('select max(seq)::text as seq from audit_head_signature'))[0].seq;
      for (let i = 0; i < 50 && !(await newest()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const [{ last }] = await bookkeepingOf(hub.hub).query<{ last: string }>('select max(seq)::text as last from audit_event');
      expect(Number(await newest())).toBeGreaterThanOrEqual(1);
      expect(Number(await newest())).toBeLessThanOrEqual(Number(last));
    } finally {
      await hub.close();
    }
  });
});

describe('refused tokens are audited too', () => {
  it('a request with a bad token leaves a DENIED event naming the reason (counted, written each minute)', async () => {
    const refused = await execute(t.hub.graphqlUrl, '{ __typename }', {}, { authorization: 'Bearer not.a.token' });
    expect(refused.status).toBe(401);
    await t.hub.flushRefusalCounts();
    const [row] = await bookkeepingOf(t.hub).query<{ content: { agency: string; outcome: string; refusal: string } }>(
      'select content from audit_event order by seq desc limit 1',
    );
    expect(row.content).toMatchObject({ agency: 'unauthenticated', outcome: 'DENIED', refusal: expect.stringMatching(/^UNAUTHENTICATED:/) });
  });
});

describe('the audit sees every fact returned', () => {
  it("a case officer counting one plate's passes with literal arguments: fields, arguments (plate digested), records counted, signature, and the provider's report", async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    // A case and a capture of a vehicle it names: a case unlocks only its own vehicles' captures.
    const {
      case: openCase,
      captures: [capture],
    } = openCaseWithCaptures(t.world);
    const day = (offsetDays: number) => {
      const at = new Date(capture.capturedAt).getTime() + offsetDays * 86_400_000;
      return { from: new Date(at - 43_200_000).toISOString(), to: new Date(at + 43_200_000).toISOString() };
    };
    const ask = async (name: string, window: { from: string; to: string }) => {
      const result = await execute<{ checkpointCaptures: { totalCount: number } }, unknown>(
        t.hub.graphqlUrl,
        `query ${name} { checkpointCaptures(filter: { from: "${window.from}", to: "${window.to}", plateNumber: "${capture.plateNumber}" }) { totalCount } }`,
        {},
        await t.headersAs({ ...ALL_SEEING_OFFICER, caseNumber: openCase.caseNumber }),
      );
      expect(result.errors).toBeUndefined();
      return result.data!.checkpointCaptures.totalCount;
    };
    const counted = await ask('Innocuous', day(0));
    expect(counted).toBeGreaterThan(0);
    const countedNextDay = await ask('AlsoInnocuous', day(1));

    type Node = Record<string, unknown> & { operationName: string; arguments: string };
    const events = await execute<{ auditEvents: { edges: Array<{ node: Node }> } }, unknown>(
      t.hub.graphqlUrl,
      `{ auditEvents(first: 2, filter: { agency: "suzhou-transport" }) { edges { node {
      operationName operationSignature arguments variables fieldsReturned { key count } recordsCounted { key count } sources { key count } sourcesCounted { key count } } } } }`,
      {},
      await t.headersAs(AUDITOR),
    );
    expect(events.errors).toBeUndefined();
    const [second, first] = events.data!.auditEvents.edges.map((e) => e.node);
    expect(first).toMatchObject({
      operationName: 'Innocuous',
      fieldsReturned: [
        { key: 'CheckpointCaptureConnection.totalCount', count: 1 },
        { key: 'Query.checkpointCaptures', count: 1 },
      ],
      recordsCounted: [{ key: 'CheckpointCapture', count: counted }],
      sources: [{ key: 'suzhou-psb', count: 0 }],
      sourcesCounted: [{ key: 'suzhou-psb', count: counted }],
    });
    const [argument] = JSON.parse(first.arguments) as Array<{ field: string; arguments: { filter: Record<string, string> } }>;
    expect(argument).toEqual({
      field: 'Query.checkpointCaptures',
      arguments: {
        filter: {
          ...day(0),
          plateNumber: expect.stringMatching(/^\[redacted [0-9a-f]{16}\]$/),
        },
      },
    });
    expect(first.arguments).not.toContain(capture.plateNumber);
    // The same plate in the next event has another digest: nobody can match a guess against it.
    const [nextArgument] = JSON.parse(second.arguments) as (typeof argument)[];
    expect(nextArgument.arguments.filter.plateNumber).not.toBe(argument.arguments.filter.plateNumber);
    // Whatever the client calls it, the server's signature says it is the same request shape.
    expect(first.operationSignature).toMatch(/^[0-9a-f]{64}$/);
    expect(second.operationSignature).toBe(first.operationSignature);

    const report = await execute<{ dataAccessReport: Array<Record<string, unknown>> }, unknown>(
      t.hub.graphqlUrl,
      'query($from: DateTime!, $to: DateTime!) { dataAccessReport(source: "suzhou-psb", from: $from, to: $to) { consumerAgency purpose operations records recordsCounted } }',
      { from: since, to: new Date(Date.now() + 60_000).toISOString() },
      await t.headersAs(PSB),
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.dataAccessReport).toEqual([
      { consumerAgency: 'suzhou-transport', purpose: 'case-investigation', operations: 2, records: 0, recordsCounted: counted + countedNextDay },
    ]);
  });

  it("a capped count is a count: count(upTo:) { value }, aliased or not, is recorded as records counted and shows in the provider's report", async () => {
    const window = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const reported = async () => {
      const report = await execute<
        { dataAccessReport: Array<{ consumerAgency: string; operations: number; records: number; recordsCounted: number }> },
        unknown
      >(
        t.hub.graphqlUrl,
        'query($from: DateTime!, $to: DateTime!) { dataAccessReport(source: "suzhou-psb", from: $from, to: $to) { consumerAgency operations records recordsCounted } }',
        window,
        await t.headersAs(PSB),
      );
      expect(report.errors).toBeUndefined();
      return report.data!.dataAccessReport.find((line) => line.consumerAgency === 'suzhou-transport') ?? { operations: 0, records: 0, recordsCounted: 0 };
    };
    const before = await reported();
    const {
      case: openCase,
      captures: [capture],
    } = openCaseWithCaptures(t.world);
    const at = new Date(capture.capturedAt).getTime();
    const filter = `{ from: "${new Date(at - 43_200_000).toISOString()}", to: "${new Date(at + 43_200_000).toISOString()}", plateNumber: "${capture.plateNumber}" }`;
    const result = await execute<{ a: { count: { value: number } }; b: { c: { n: number; exact: boolean } } }, unknown>(
      t.hub.graphqlUrl,
      `query CappedCounts { a: checkpointCaptures(filter: ${filter}) { count(upTo: 1000) { value } } b: checkpointCaptures(filter: ${filter}) { c: count { n: value exact } } }`,
      {},
      await t.headersAs({ ...ALL_SEEING_OFFICER, caseNumber: openCase.caseNumber }),
    );
    expect(result.errors).toBeUndefined();
    const counted = result.data!.a.count.value;
    expect(counted).toBeGreaterThan(0);
    expect(result.data!.b.c.n).toBe(counted);
    const [row] = (
      await t.hub.db.pool.query<{ content: Record<string, unknown> }>(
        "select content from audit_event where content->>'operationName' = 'CappedCounts' order by seq desc limit 1",
      )
    ).rows;
    expect(row.content).toMatchObject({
      recordsCounted: { CheckpointCapture: 2 * counted },
      sources: { 'suzhou-psb': 0 },
      sourcesCounted: { 'suzhou-psb': 2 * counted },
    });
    const after = await reported();
    expect(after).toMatchObject({ operations: before.operations + 1, records: before.records, recordsCounted: before.recordsCounted + 2 * counted });
  });

  it('records the fields returned, not all those selected: @include and @skip with variables decide per request, on fields and fragments', async () => {
    const document = `query Directed($with: Boolean!) { vehicles(first: 3) { edges { node {
      plateNumber vin @include(if: $with) registrationDivision @skip(if: $with) owner @include(if: $with) { uscc }
      ... @skip(if: $with) { axleCount } ...Certificate @include(if: $with) } } } }
      fragment Certificate on Vehicle { transportCertificateStatus }`;
    const fieldsOf = async (withThem: boolean) => {
      const result = await execute(t.hub.graphqlUrl, document, { with: withThem });
      expect(result.errors).toBeUndefined();
      const [row] = (
        await t.hub.db.pool.query<{ content: { fieldsReturned: Record<string, number> } }>(
          "select content from audit_event where content->>'operationName' = 'Directed' order by seq desc limit 1",
        )
      ).rows;
      return row.content.fieldsReturned;
    };
    const without = await fieldsOf(false);
    expect(without).toMatchObject({ 'Vehicle.plateNumber': 3, 'Vehicle.registrationDivision': 3, 'Vehicle.axleCount': 3 });
    expect(Object.keys(without).filter((f) => /^(Vehicle\.(vin|owner|transportCertificateStatus)|Enterprise\.)/.test(f))).toEqual([]);
    const withThem = await fieldsOf(true);
    expect(withThem).toMatchObject({ 'Vehicle.plateNumber': 3, 'Vehicle.vin': 3, 'Vehicle.owner': 3, 'Vehicle.transportCertificateStatus': 3 });
    expect(withThem['Vehicle.registrationDivision']).toBeUndefined();
    expect(withThem['Vehicle.axleCount']).toBeUndefined();
  });

  it('records an omitted variable at the default the resolver got, digested when personal', async () => {
    const {
      case: openCase,
      captures: [capture],
    } = openCaseWithCaptures(t.world);
    const at = new Date(capture.capturedAt).getTime();
    const result = await execute(
      t.hub.graphqlUrl,
      `query Defaulted($plate: String = "${capture.plateNumber}", $from: DateTime = "${new Date(at - 3_600_000).toISOString()}") {
        checkpointCaptures(filter: { from: $from, to: "${new Date(at + 3_600_000).toISOString()}", plateNumber: $plate }) { totalCount } }`,
      {},
      await t.headersAs({ ...ALL_SEEING_OFFICER, caseNumber: openCase.caseNumber }),
    );
    expect(result.errors).toBeUndefined();
    const [row] = (
      await t.hub.db.pool.query<{ content: { operationName: string; arguments: Array<{ arguments: { filter: Record<string, unknown> } }> } }>(
        "select content from audit_event where content->>'operationName' = 'Defaulted' order by seq desc limit 1",
      )
    ).rows;
    const filter = row.content.arguments[0].arguments.filter;
    expect(filter.plateNumber).toMatch(/^\[redacted [0-9a-f]{16}\]$/);
    expect(new Date(filter.from as string).getTime()).toBe(at - 3_600_000);
  });
});
