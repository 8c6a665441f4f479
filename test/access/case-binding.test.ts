import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('case_binding');
});
afterAll(async () => {
  await t?.close();
});

const CAPTURES = `query($from: DateTime!, $to: DateTime!) { checkpointCaptures(first: 1, filter: { from: $from, to: $to }) { totalCount } }`;
const WINDOW = { from: '2026-10-25T00:00:00Z', to: '2026-11-01T00:00:00Z' };

describe('captures are read under an open case the caller itself may see', () => {
  it("a district officer cannot borrow another district's case", async () => {
    const open = t.world.enforcementCases.find((c) => c.status !== 'CLOSED')!;
    const own = { agency: 'suzhou-transport', roles: ['officer'], purpose: 'case-investigation', caseNumber: open.caseNumber };
    const allowed = await execute(t.hub.graphqlUrl, CAPTURES, WINDOW, await t.headersAs({ ...own, divisions: [open.divisionCode] }));
    expect(allowed.errors).toBeUndefined();
    const elsewhere = open.divisionCode === '320599' ? '320598' : '320599';
    const borrowed = await execute(t.hub.graphqlUrl, CAPTURES, WINDOW, await t.headersAs({ ...own, divisions: [elsewhere] }));
    expect(borrowed.errors?.[0].extensions).toMatchObject({ code: 'CASE_NOT_VALID', caseNumber: open.caseNumber });
  });
});
