import { HUB_AUDIENCE, mintDevClientAssertion } from '../../src/auth';
import { AccessTokens, ClientError, ClientErrorCode, connectionPages, HubClient, type ClientAssertion } from '../../src/client';
import { runExample } from '../../src/client/example';
import { ExampleOverloadsDocument, ExampleWhoAmIDocument, SyncStatusDocument } from '../../src/client/generated/graphql';
import { loadConfig } from '../../src/config';
import { startTestHub, type TestHub } from '../support/test-hub';

const dataDir = loadConfig({}).dataDir;
let t: TestHub;

beforeAll(async () => {
  t = await startTestHub('client_example');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** The development client of `agency`, counting the assertions it signs: one per token request. */
function countingAssertion(agency: string): { assertion: ClientAssertion; signed: () => number } {
  let signed = 0;
  return {
    assertion: () => {
      signed += 1;
      return mintDevClientAssertion(dataDir, agency, HUB_AUDIENCE);
    },
    signed: () => signed,
  };
}

const weighingKey = (w: { stationCode: string; plateNumber: string; plateColor: string; measuredAt: string }) =>
  `${w.stationCode}|${w.plateNumber}|${w.plateColor}|${new Date(w.measuredAt).toISOString()}`;

describe('the typed client', () => {
  it('the example gets one token, runs a typed query and pages through the whole connection, each row once', async () => {
    const overloaded = t.world.weighings.filter((w) => w.overloadKg > 0);
    expect(overloaded.length).toBeGreaterThan(10);
    const { assertion, signed } = countingAssertion('suzhou-transport');
    const lines: string[] = [];
    const result = await runExample({ hub: t.hub.url, assertion, pageSize: 5, write: (line) => lines.push(line) });

    expect(result).toMatchObject({ agency: 'suzhou-transport', judgedUnder: 'SZJT-2026-02', totalCount: overloaded.length });
    expect(result.pages).toBe(Math.ceil(overloaded.length / 5));
    const keys = result.weighings.map(weighingKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(overloaded.map(weighingKey).sort());
    // Worst first, across page boundaries too.
    const ratios = result.weighings.map((w) => w.overloadRatio);
    expect(ratios).toEqual([...ratios].sort((a, b) => b - a));
    // One token from the token endpoint served every request.
    expect(signed()).toBe(1);
    expect(lines[0]).toBe('signed in as suzhou-transport (analyst), judged under SZJT-2026-02');
    expect(lines[1]).toBe(`${overloaded.length} of ${overloaded.length} overloaded weighings read in ${result.pages} pages of at most 5`);
  });

  it('a pager stopped early requests no further page', async () => {
    const { assertion } = countingAssertion('suzhou-transport');
    const client = new HubClient(t.hub.url, new AccessTokens(t.hub.url, assertion, 'role:analyst'), { purpose: 'statistics' });
    let requests = 0;
    const counted = new Proxy(client, {
      get: (target, property, receiver) =>
        property === 'request'
          ? (...args: Parameters<HubClient['request']>) => {
              requests += 1;
              return target.request(...args);
            }
          : Reflect.get(target, property, receiver),
    });
    for await (const page of connectionPages(counted, ExampleOverloadsDocument, { first: 3 }, (data) => data.weighings)) {
      expect(page.nodes).toHaveLength(3);
      break;
    }
    expect(requests).toBe(1);
  });

  it("refusals are ClientErrors carrying the hub's errors; a refused or unreachable token endpoint too", async () => {
    const analyst = new HubClient(t.hub.url, new AccessTokens(t.hub.url, countingAssertion('suzhou-transport').assertion, 'role:analyst'), {
      purpose: 'statistics',
    });
    const refused = await analyst.request(SyncStatusDocument, {}).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ClientError);
    expect(refused).toMatchObject({ code: ClientErrorCode.OPERATION_FAILED, details: { status: 403, errors: [{ extensions: { code: 'FORBIDDEN' } }] } });
    expect((refused as Error).message).toMatch(/^the hub answered SyncStatus with HTTP 403 FORBIDDEN: Not granted/);

    const badScope = new HubClient(t.hub.url, new AccessTokens(t.hub.url, countingAssertion('suzhou-psb').assertion, 'role:administrator'));
    await expect(badScope.request(ExampleWhoAmIDocument, {})).rejects.toMatchObject({
      code: ClientErrorCode.TOKEN_REFUSED,
      details: { status: 400, oauthError: 'invalid_scope' },
    });

    const nowhere = new HubClient(
      'http://127.0.0.1:9',
      new AccessTokens('http://127.0.0.1:9', countingAssertion('suzhou-transport').assertion, 'role:analyst'),
    );
    await expect(nowhere.request(ExampleWhoAmIDocument, {})).rejects.toMatchObject({ code: ClientErrorCode.UNREACHABLE });
    const noGraphql = new HubClient('http://127.0.0.1:9', { token: async () => 'x' });
    await expect(noGraphql.request(ExampleWhoAmIDocument, {})).rejects.toMatchObject({ code: ClientErrorCode.UNREACHABLE });
  });

  it('a token the hub refuses (401) is renewed once and the request retried', async () => {
    const tokens = new AccessTokens(t.hub.url, countingAssertion('suzhou-transport').assertion, 'role:analyst');
    let current = 'not-a-token';
    let renewed = 0;
    const client = new HubClient(t.hub.url, {
      token: async () => current,
      renew: async () => {
        renewed += 1;
        current = await tokens.token();
      },
    });
    const { myAccess } = await client.request(ExampleWhoAmIDocument, {});
    expect(myAccess.agency).toBe('suzhou-transport');
    expect(renewed).toBe(1);
  });
});
