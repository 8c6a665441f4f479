import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';
import { doublingChain } from '../support/fragment-chain';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('linear_analysis');
});
afterAll(async () => {
  await t?.close();
});

describe('request analysis is linear in the document', () => {
  it('a 150-level fragment chain is refused at once with its real depth, and /health answers while several are in flight', async () => {
    const chain = doublingChain(150);
    const started = performance.now();
    let inFlight = true;
    const answered = Promise.all(Array.from({ length: 6 }, () => execute(t.hub.graphqlUrl, chain))).finally(() => {
      inFlight = false;
    });
    // /health is asked again and again while the chains are being sent and analysed.
    const healthMs: number[] = [];
    do {
      const asked = performance.now();
      const health = await fetch(`${t.hub.url}/health`);
      healthMs.push(performance.now() - asked);
      expect(health.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } while (inFlight);
    const results = await answered;
    const allMs = performance.now() - started;
    for (const result of results) {
      expect(result.status).toBe(400);
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxDepth', actual: 150 });
    }
    // Targets: < 50 ms per request. Asserted loosely: an analysis that expanded the chain would do
    // 2^150 steps and never answer, while a loaded 2-core machine (token minting included) has
    // taken over a second for /health.
    expect(Math.max(...healthMs)).toBeLessThan(5000);
    expect(allMs).toBeLessThan(15000);
  });

  it('a chain within the limits is answered, and its cost counts every spread', async () => {
    const result = await execute(t.hub.graphqlUrl, doublingChain(8));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ __typename: 'Query' });
    const costly = await execute(t.hub.graphqlUrl, doublingChain(10, 'enterprises(first: 100) { totalCount edges { node { name } } }'));
    expect(costly.status).toBe(400);
    // 2^9 spreads of the leaf: enterprises 1 + totalCount 1 + edges (1 + 100 × (node 1 + name 1))
    expect(costly.errors?.[0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', limit: 'maxCost', actual: 2 ** 9 * 203 });
  });
});
