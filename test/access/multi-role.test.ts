import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('multi_role');
});
afterAll(async () => {
  await t?.close();
});

const BOTH = { agency: 'suzhou-transport', roles: ['officer', 'analyst'], divisions: ['32'] };
const QUERY = '{ practitioners(first: 1) { edges { node { idNumber } } } }';
type Answer = { practitioners: { edges: Array<{ node: { idNumber: string } }> } };

describe('a caller with two roles reads under the agreement that permits its purpose', () => {
  it("for the analyst's purpose it gets the analyst's masks, not the officer's full values", async () => {
    const result = await execute<Answer, unknown>(t.hub.graphqlUrl, QUERY, {}, await t.headersAs({ ...BOTH, purpose: 'statistics' }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.practitioners.edges[0].node.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
  });

  it("for the officer's purpose it gets the officer's full values", async () => {
    const result = await execute<Answer, unknown>(t.hub.graphqlUrl, QUERY, {}, await t.headersAs({ ...BOTH, purpose: 'case-investigation' }));
    expect(result.data!.practitioners.edges[0].node.idNumber).toMatch(/^\d{17}[\dX]$/);
  });

  it('a purpose neither agreement permits is refused', async () => {
    const result = await execute(t.hub.graphqlUrl, QUERY, {}, await t.headersAs({ ...BOTH, purpose: 'credit-sanction' }));
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'PURPOSE_NOT_PERMITTED' });
  });
});
