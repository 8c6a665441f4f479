import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { decodeJwt } from 'jose';
import { hubAccessToken } from '../support/oauth-client';
import { startTestHub, type TestHub } from '../support/test-hub';

/**
 * A peer bureau's Apollo Gateway in front of our subgraph and one of its own, as Shanghai runs it:
 * it obtains ONE access token from our token endpoint and sends it on every subgraph fetch,
 * composition (`_service`) included. A joined query (our vehicles with the peer's permits, the
 * peer's inspections with our vehicles) succeeds 100 times in a row with that token.
 */

const PEER_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Vehicle @key(fields: "plateNumber plateColor") {
    plateNumber: String!
    plateColor: PlateColor!
    shanghaiEntryPermits: [String!]!
  }
  enum PlateColor { UNPLATED BLUE YELLOW BLACK WHITE GREEN OTHER AGRICULTURAL_YELLOW AGRICULTURAL_GREEN YELLOW_GREEN GRADIENT_GREEN }
  type Inspection { id: ID! vehicle: Vehicle! }
  type Query { peerInspections: [Inspection!]! }
`;

const JOINED = `query Joined {
  vehicles(first: 3) { edges { node { plateNumber vin shanghaiEntryPermits } } }
  peerInspections { id vehicle { plateNumber vin vehicleType } }
}`;

/** The agreement (CSJ-SH-2026-01) allows 20 requests a second, burst 40; each joined query makes two. */
const PACE_MS = 110;

let t: TestHub;
let peer: ApolloServer;
let gateway: ApolloServer;
let gatewayUrl: string;
let token: string;
/** Shanghai vehicles of the world: what the agreement's row scope lets Shanghai see. */
let shanghai: Array<{ plateNumber: string; plateColor: string; vin: string; vehicleType: string }>;
const hubFetches: number[] = [];

beforeAll(async () => {
  t = await startTestHub('peer_gateway');
  shanghai = t.world.vehicles.filter((v) => v.plateNumber.startsWith('沪')).sort((a, b) => (a.plateNumber < b.plateNumber ? -1 : 1));
  peer = new ApolloServer({
    schema: buildSubgraphSchema({
      typeDefs: parse(PEER_SDL),
      resolvers: {
        Query: {
          peerInspections: () =>
            shanghai.slice(0, 2).map((v, i) => ({ id: `SH-INSP-${i}`, vehicle: { plateNumber: v.plateNumber, plateColor: v.plateColor } })),
        },
        Vehicle: {
          __resolveReference: (ref: { plateNumber: string; plateColor: string }) => ref,
          shanghaiEntryPermits: (v: { plateNumber: string }) => [`沪通-${v.plateNumber.slice(1)}`],
        },
      },
    }),
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const { url: peerUrl } = await startStandaloneServer(peer, { listen: { port: 0, host: '127.0.0.1' } });
  token = (await hubAccessToken(t.hub.url, 'shanghai-transport', 'role:officer')).access_token;
  gateway = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: new IntrospectAndCompose({
        subgraphs: [
          { name: 'suzhou', url: t.hub.graphqlUrl },
          { name: 'shanghai', url: peerUrl },
        ],
      }),
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource({
          url,
          willSendRequest({ request }) {
            if (url !== t.hub.graphqlUrl) return;
            hubFetches.push(Date.now());
            request.http!.headers.set('authorization', `Bearer ${token}`);
            request.http!.headers.set('x-purpose', 'cross-region-enforcement');
          },
        }),
    }),
  });
  gatewayUrl = (await startStandaloneServer(gateway, { listen: { port: 0, host: '127.0.0.1' } })).url;
}, 60_000);
afterAll(async () => {
  await gateway?.stop();
  await peer?.stop();
  await t?.close();
});

describe("a peer bureau's Apollo Gateway with one token", () => {
  it('composed our subgraph with its own: its introspection went through with the token', () => {
    expect(shanghai.length).toBeGreaterThanOrEqual(3);
    expect(hubFetches.length).toBeGreaterThanOrEqual(1);
  });

  it('answers a joined query 100 times in a row, every hub fetch carrying the same token', async () => {
    const expected = {
      data: {
        vehicles: {
          edges: shanghai
            .slice(0, 3)
            .map((v) => ({ node: { plateNumber: v.plateNumber, vin: v.vin, shanghaiEntryPermits: [`沪通-${v.plateNumber.slice(1)}`] } })),
        },
        peerInspections: shanghai.slice(0, 2).map((v, i) => ({
          id: `SH-INSP-${i}`,
          vehicle: { plateNumber: v.plateNumber, vin: v.vin, vehicleType: v.vehicleType },
        })),
      },
    };
    const fetchesBefore = hubFetches.length;
    for (let i = 0; i < 100; i++) {
      const started = Date.now();
      const response = await fetch(gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: JOINED }) });
      expect({ request: i, status: response.status, body: await response.json() }).toEqual({ request: i, status: 200, body: expected });
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, PACE_MS - (Date.now() - started))));
    }
    // Each joined query fetched from the hub twice (the vehicles, then the inspections' vehicles by key).
    expect(hubFetches.length - fetchesBefore).toBe(200);
    const { rows } = await t.hub.db.pool.query<{ agency: string; token: string; outcome: string; count: number }>(
      `select content->>'agency' as agency, content->>'tokenId' as token, content->>'outcome' as outcome, count(*)::int as count
         from audit_event where content->>'operationName' is distinct from '/oauth/token' group by 1, 2, 3`,
    );
    expect(rows).toEqual([{ agency: 'shanghai-transport', token: decodeJwt(token).jti, outcome: 'OK', count: hubFetches.length }]);
    expect(t.logged).toEqual([]);
  }, 120_000);
});
