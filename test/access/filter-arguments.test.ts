import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

const AMR = { agency: 'suzhou-amr', roles: ['officer'], purpose: 'joint-inspection' };

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('filter_arguments');
});
afterAll(async () => {
  await t?.close();
});

describe('filters count as reading the field they test', () => {
  it('a literal filter on a refused field is FORBIDDEN, naming the argument', async () => {
    const c = t.world.enforcementCases.find((x) => x.vehiclePlateNumber)!;
    const { statements, result } = await t.hub.db.counter.measure(async () =>
      execute(
        t.hub.graphqlUrl,
        `{ enforcementCases(filter: { plateNumber: "${c.vehiclePlateNumber}", status: CLOSED }) { totalCount } }`,
        {},
        await t.headersAs(AMR),
      ),
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['enforcementCases(filter.plateNumber)'] });
    expect(statements).toBe(0);
  });

  it('so is one passed in variables, judged by the values sent', async () => {
    const query = 'query($f: EnforcementCaseFilterInput) { enforcementCases(filter: $f) { totalCount } }';
    const refused = await execute(t.hub.graphqlUrl, query, { f: { plateColor: 'YELLOW' } }, await t.headersAs(AMR));
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['enforcementCases(filter.plateColor)'] });
    const allowed = await execute<{ enforcementCases: { totalCount: number } }, unknown>(
      t.hub.graphqlUrl,
      query,
      { f: { status: 'CLOSED', plateColor: null } },
      await t.headersAs(AMR),
    );
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.enforcementCases.totalCount).toBe(t.world.enforcementCases.filter((x) => x.status === 'CLOSED').length);
  });
});

describe('filters hidden in variable defaults', () => {
  it('a default value of an omitted variable is judged like one sent', async () => {
    const c = t.world.enforcementCases.find((x) => x.vehiclePlateNumber)!;
    const query = `query Q($f: EnforcementCaseFilterInput = { plateNumber: "${c.vehiclePlateNumber}" }) { enforcementCases(filter: $f) { totalCount } }`;
    const result = await execute(t.hub.graphqlUrl, query, {}, await t.headersAs(AMR));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', deniedPaths: ['enforcementCases(filter.plateNumber)'] });
  });
});
