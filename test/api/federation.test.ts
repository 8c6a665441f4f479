import fs from 'node:fs';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { SCHEMA_FILE } from '../../src/cli/schema-print';
import { execute } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('federation');
});
afterAll(async () => {
  await t?.close();
});

/** A peer bureau's subgraph that extends our Vehicle and Enterprise by their keys. */
const PEER_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Vehicle @key(fields: "plateNumber plateColor") {
    plateNumber: String!
    plateColor: PlateColor!
    shanghaiEntryPermits: [String!]!
  }
  enum PlateColor { UNPLATED BLUE YELLOW BLACK WHITE GREEN OTHER AGRICULTURAL_YELLOW AGRICULTURAL_GREEN YELLOW_GREEN GRADIENT_GREEN }
  type Enterprise @key(fields: "uscc") { uscc: String! shanghaiBranches: Int! }
  type Query { peerStatus: String }
`;

describe('Apollo Federation v2 subgraph', () => {
  it('serves its SDL through _service, equal to the committed schema', async () => {
    const result = await execute<{ _service: { sdl: string } }, never>(t.hub.graphqlUrl, '{ _service { sdl } }');
    const sdl = result.data!._service.sdl;
    expect(sdl).toContain('@key(fields: "uscc")');
    expect(sdl).toContain('@key(fields: "plateNumber plateColor")');
    expect(sdl).toContain('@key(fields: "code")');
    // _service serves the SDL with federation's own definitions; reprinted as a subgraph it must be
    // exactly the committed file.
    const committed = fs
      .readFileSync(SCHEMA_FILE, 'utf8')
      .replace(/^#.*\n\n/, '')
      .trim();
    expect(printSubgraphSchema(buildSubgraphSchema(parse(sdl))).trim()).toBe(committed);
  });

  it('composes with a peer bureau subgraph without errors', async () => {
    const result = await execute<{ _service: { sdl: string } }, never>(t.hub.graphqlUrl, '{ _service { sdl } }');
    const composed = composeServices([
      { name: 'suzhou', url: 'http://suzhou.invalid/graphql', typeDefs: parse(result.data!._service.sdl) },
      { name: 'shanghai', url: 'http://shanghai.invalid/graphql', typeDefs: parse(PEER_SDL) },
    ]);
    expect(composed.errors ?? []).toEqual([]);
    expect(composed.supergraphSdl).toContain('shanghaiEntryPermits');
  });

  it('resolves _entities for every key, in one read per type (the three sent as one statement), null for unknown keys', async () => {
    const e = t.world.enterprises.slice(0, 3);
    const v = t.world.vehicles.slice(0, 4);
    const c = t.world.checkpoints[0];
    const representations = [
      ...e.map((x) => ({ __typename: 'Enterprise', uscc: x.uscc })),
      ...v.map((x) => ({ __typename: 'Vehicle', plateNumber: x.plateNumber, plateColor: x.plateColor })),
      { __typename: 'Checkpoint', code: c.code },
      { __typename: 'Enterprise', uscc: '91350100M000100Y43' },
    ];
    const { result, statements } = await t.hub.db.counter.measure(() =>
      execute<{ _entities: unknown[] }, { r: unknown[] }>(
        t.hub.graphqlUrl,
        `
      query($r: [_Any!]!) { _entities(representations: $r) {
        ... on Enterprise { uscc name }
        ... on Vehicle { plateNumber vin }
        ... on Checkpoint { code name }
      } }`,
        { r: representations },
      ),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!._entities).toEqual([
      ...e.map((x) => ({ uscc: x.uscc, name: x.name })),
      ...v.map((x) => ({ plateNumber: x.plateNumber, vin: x.vin })),
      { code: c.code, name: c.name },
      null,
    ]);
    // Each type's loader reads all its keys at once; the three reads of the turn go as one statement (`CombinedReads`).
    expect(statements).toBe(1);
  });

  it.each([
    ['a type the subgraph does not have', { __typename: 'Nope', id: 1 }, 'representations[0].__typename'],
    ['a type it resolves by no key', { __typename: 'EnforcementCase', caseNumber: 'x' }, 'representations[0].__typename'],
    ['a root type', { __typename: 'Query' }, 'representations[0].__typename'],
    ['no __typename', { uscc: '91320500MA1XXXXXXX' }, 'representations[0].__typename'],
    ['not an object', 'Vehicle', 'representations[0]'],
  ])('refuses a representation naming %s with BAD_USER_INPUT (400) before any read', async (_label, representation, argument) => {
    for (const [document, variables] of [
      ['query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Vehicle { vin } } }', { r: [representation] }],
      [`{ _entities(representations: [${JSON.stringify(representation).replace(/"(\w+)":/g, '$1:')}]) { __typename } }`, undefined],
      // A single value where a list is expected is coerced into a one-item list: checked as that list.
      ['query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Vehicle { vin } } }', { r: representation }],
      [`{ _entities(representations: ${JSON.stringify(representation).replace(/"(\w+)":/g, '$1:')}) { __typename } }`, undefined],
    ] as const) {
      const { result, statements } = await t.hub.db.counter.measure(() => execute(t.hub.graphqlUrl, document, variables));
      expect(result.status).toBe(400);
      expect(result.data ?? null).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(statements).toBe(0);
    }
  });
});
