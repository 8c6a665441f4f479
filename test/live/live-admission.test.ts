import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startTestHub, type TestCaller, type TestHub } from '../support/test-hub';

/*
 * Live operations go through the agency's admission like its HTTP requests: with one request slot
 * and no queue, subscriptions started together on one connection are not all admitted; the
 * refused ones get the typed refusal HTTP would give (QUERY_LIMIT_EXCEEDED, agencyConcurrency).
 */

const POLICE: TestCaller = { agency: 'suzhou-psb', roles: ['case-officer'], subject: 'wang.fang', purpose: 'case-investigation' };
const HITS = `subscription Hits { watchHits { plateNumber } }`;

describe('live admission', () => {
  let t: TestHub;
  let client: Client;

  beforeAll(async () => {
    t = await startTestHub('live_admission', {
      size: 0.005,
      env: { AGENCY_MAX_REQUESTS: '1', AGENCY_QUEUE_WAIT_MS: '0', LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION: '10' },
    });
  }, 120_000);
  afterAll(async () => {
    await client?.dispose();
    await t?.close();
  });

  it('admits subscription starts against the agency request slots', async () => {
    const { authorization } = await t.headersAs(POLICE);
    client = createClient({
      url: t.hub.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization, extensions: { purpose: POLICE.purpose } },
      retryAttempts: 0,
    });
    const outcomes = Array.from({ length: 4 }, () => {
      const errors: Array<{ extensions?: Record<string, unknown> }> = [];
      client.subscribe(
        { query: HITS },
        {
          next: () => undefined,
          error: (error) => {
            if (Array.isArray(error)) errors.push(...(error as typeof errors));
          },
          complete: () => undefined,
        },
      );
      return errors;
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const refused = outcomes.filter((e) => e[0]?.extensions?.limit === 'agencyConcurrency');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0][0].extensions).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', retryAfterSeconds: expect.any(Number) });
    // The admitted one is listening: refusals are of the load, not of the subscription.
    expect(outcomes.filter((e) => e.length === 0).length).toBeGreaterThan(0);
  }, 30_000);
});
