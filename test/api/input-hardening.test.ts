import type { EnforcementCaseRecord } from '../../connectors/contract/canonical/records';
import { RECORD_TABLES } from '../../src/ingest/record-tables';
import { upsertRecords } from '../../src/ingest/upsert-records';
import { encodeCursor } from '../../src/read-kit/pagination';
import {
  CheckpointCapturesDocument,
  EnforcementCasesDocument,
  type EnforcementCasesQuery,
  EnterprisesDocument,
  VehicleByPlateDocument,
  VehiclesDocument,
} from '../generated/graphql';
import { execute, query } from '../support/graphql-client';
import { policeWithAllPlates } from '../support/all-plates';
import { startTestHub, type TestHub } from '../support/test-hub';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub('hardening');
});
afterAll(async () => {
  await t?.close();
});

const badInput = (result: { errors?: Array<{ extensions?: Record<string, unknown> }> }, argument: string) => {
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
};

describe('cursors', () => {
  it.each([
    ['a date that is not a date', 'ESTABLISHED_ON_DESC', ['garbage', 'x']],
    ['nulls', 'NAME_ASC', [null, null]],
  ])('carrying %s are BAD_USER_INPUT, not an internal error', async (_l, orderBy, values) => {
    badInput(await execute(t.hub.graphqlUrl, EnterprisesDocument, { first: 2, orderBy: orderBy as never, after: encodeCursor(orderBy, values) }), 'after');
  });

  it('with a text mass on vehicles, or a bad serial on captures, are BAD_USER_INPUT', async () => {
    badInput(
      await execute(t.hub.graphqlUrl, VehiclesDocument, { orderBy: 'RATED_TOTAL_MASS_DESC', after: encodeCursor('RATED_TOTAL_MASS_DESC', ['abc', 'x', 'y']) }),
      'after',
    );
    badInput(
      await execute(t.hub.graphqlUrl, CheckpointCapturesDocument, {
        filter: { from: '2026-10-01T00:00:00Z', to: '2026-10-02T00:00:00Z' },
        after: encodeCursor('CAPTURED_AT_DESC', ['2026-10-01T10:00:00.000Z', 'x']),
      }),
      'after',
    );
  });

  it('page through instants that differ below the millisecond without losing or repeating rows', async () => {
    const base = t.world.enforcementCases[0];
    const cases: EnforcementCaseRecord[] = ['123200', '123400', '123456'].map((us, i) => ({
      ...base,
      caseNumber: `苏E交执〔2026〕9990${i}号`,
      occurredAt: `2026-06-01T12:00:00.${us}+08:00`,
      divisionCode: '320599',
    }));
    await upsertRecords(t.hub.db.pool, RECORD_TABLES.enforcementCase, cases, new Date());
    for (const orderBy of ['OCCURRED_AT_ASC', 'OCCURRED_AT_DESC'] as const) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let i = 0; i < 10; i++) {
        const data: EnforcementCasesQuery = await query(t.hub.graphqlUrl, EnforcementCasesDocument, {
          first: 1,
          after,
          orderBy,
          filter: { divisionCode: '320599' },
        });
        seen.push(...data.enforcementCases.edges.map((e) => e.node.caseNumber));
        if (!data.enforcementCases.pageInfo.hasNextPage) break;
        after = data.enforcementCases.pageInfo.endCursor ?? null;
      }
      expect(seen.sort()).toEqual(cases.map((c) => c.caseNumber).sort());
    }
  });
});

describe('free text and codes', () => {
  it('a NUL byte or an over-long value is refused naming the field', async () => {
    // In a variable it is refused at the edge, before anything parses it (the audit could not record it).
    const nul = await execute(t.hub.graphqlUrl, EnterprisesDocument, { filter: { nameContains: 'a\u0000b' } });
    expect(nul.status).toBe(400);
    expect(nul.errors?.[0].extensions).toMatchObject({ code: 'BAD_REQUEST', field: 'variables.filter.nameContains', reason: 'contains a NUL character' });
    badInput(await execute(t.hub.graphqlUrl, EnterprisesDocument, { filter: { nameContains: 'x'.repeat(201) } }), 'filter.nameContains');
    badInput(await execute(t.hub.graphqlUrl, '{ checkpoint(code: "a\\u0000b") { name } }'), 'code');
  });

  it('checkpoint codes match whatever their case, in the lookup and in the filter', async () => {
    const code = t.world.checkpoints[0].code;
    const lower = { filter: { from: '2026-10-15T00:00:00Z', to: '2026-11-01T00:00:00Z', checkpointCode: code.toLowerCase() }, first: 0 };
    const upper = { ...lower, filter: { ...lower.filter, checkpointCode: code } };
    // Every plate's captures at the checkpoint: a police case officer under a case declared ALL_PLATES.
    const police = await policeWithAllPlates(t);
    const count = async (variables: typeof lower) => {
      const result = await execute(t.hub.graphqlUrl, CheckpointCapturesDocument, variables, await t.headersAs(police));
      expect(result.errors).toBeUndefined();
      return result.data!.checkpointCaptures.totalCount;
    };
    const [a, b] = [await count(lower), await count(upper)];
    expect(a).toBe(b);
    expect(b).toBeGreaterThan(0);
  });

  it('plate prefixes are normalised (full-width, case) and checked (no I or O, a real province)', async () => {
    const count = async (prefix: string) =>
      (await query(t.hub.graphqlUrl, VehiclesDocument, { first: 0, filter: { plateNumberPrefix: prefix } })).vehicles.totalCount;
    expect(await count('苏Ｅ')).toBe(await count('苏E'));
    expect(await count('苏e')).toBe(t.world.vehicles.filter((v) => v.plateNumber.startsWith('苏E')).length);
    badInput(await execute(t.hub.graphqlUrl, VehiclesDocument, { filter: { plateNumberPrefix: '苏I' } }), 'filter.plateNumberPrefix');
    badInput(await execute(t.hub.graphqlUrl, VehiclesDocument, { filter: { plateNumberPrefix: '中E' } }), 'filter.plateNumberPrefix');
  });
});

describe('no suggestions anywhere', () => {
  it('not in variable coercion errors either', async () => {
    const colour = await execute(t.hub.graphqlUrl, VehicleByPlateDocument, { plateNumber: '苏E12345', plateColor: 'YELOW' as never });
    expect(colour.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const field = await execute(t.hub.graphqlUrl, VehiclesDocument, { filter: { plateColour: 'BLUE' } as never });
    for (const r of [colour, field]) expect(r.raw).not.toMatch(/did you mean/i);
  });
});

describe('federation representations', () => {
  it('are normalised and validated like arguments', async () => {
    const e = t.world.enterprises[0];
    const ok = await execute<{ _entities: unknown[] }, { r: unknown[] }>(
      t.hub.graphqlUrl,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Enterprise { uscc } } }',
      { r: [{ __typename: 'Enterprise', uscc: e.uscc.toLowerCase() }] },
    );
    expect(ok.data?._entities).toEqual([{ uscc: e.uscc }]);
    const bad = await execute<{ _entities: unknown[] }, { r: unknown[] }>(
      t.hub.graphqlUrl,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Vehicle { vin } } }',
      { r: [{ __typename: 'Vehicle', plateNumber: '苏E12345', plateColor: 'PINK' }] },
    );
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'representations.plateColor' });
  });
});
