import { execute, parse, type GraphQLError, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { AccessDeniedError } from '../../src/errors';
import { guardSchema } from '../../src/access/field-guard';
import type { FieldMode } from '../../src/access/agreements';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { AGGREGATE_CELL_TYPES } from '../../src/read-kit/aggregate/aggregate-result';
import { aggregateResult } from '../../src/read-kit/aggregate/aggregate-args';
import { MaskKind } from '../../src/read-kit/fields/masks';

/**
 * An aggregate's cells are plain data with no resolvers: the guard decides for every field of
 * theirs an operation selects once, where `cells` is returned. The decision must be the one each
 * field's own guard would make: refused where not granted (through fragments too), masked where
 * masked, as it is otherwise. (The operation check refuses such operations before execution;
 * this is the guard behind it.)
 */

const answer = {
  source: 'ROLLUP' as const,
  truncated: false,
  rows: [
    { keys: ['2026-10-01T08', 'CP1'], count: 12, withheld: 0, values: [] },
    { keys: ['2026-10-01T08', 'CP2'], count: null, withheld: 3, values: [] },
  ],
};

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = guardSchema(await buildHubSchema(HUB_PARTS), new Set(), AGGREGATE_CELL_TYPES);
  // The root's own resolver reads the database; the guard under test is below it.
  schema.getQueryType()!.getFields().captureStats.resolve = () => aggregateResult(answer, ['HOUR', 'CHECKPOINT'], ['COUNT'], [], 10);
});

const full: FieldMode = { kind: 'full' };
/** A grant of everything a flow query reads, with `changes` (null: not granted). */
const grantWith = (changes: Record<string, FieldMode | null> = {}) => ({
  modeOf: (type: string, field: string): FieldMode | null => {
    const id = `${type}.${field}`;
    if (id in changes) return changes[id];
    return ['Query', 'AggregateResult', ...AGGREGATE_CELL_TYPES].includes(type) ? full : null;
  },
});

/** A refusal as the caller gets it: its code and the paths it names. */
const refusal = (e: GraphQLError) => {
  const error = e.originalError;
  return error instanceof AccessDeniedError ? [error.code, error.details.deniedPaths] : [e.message];
};

async function run(selection: string, changes?: Record<string, FieldMode | null>, fragments = '') {
  const document = parse(`query {
    captureStats(window: { from: "2026-10-01T00:00:00+08:00", to: "2026-10-02T00:00:00+08:00" }, groupBy: [HOUR, CHECKPOINT]) ${selection}
  } ${fragments}`);
  return execute({ schema, document, contextValue: { access: grantWith(changes), answer: null } });
}

it('leaves the cells’ fields without resolvers, and returns them as they are when all are granted in full', async () => {
  for (const name of AGGREGATE_CELL_TYPES) {
    for (const field of Object.values((schema.getType(name) as GraphQLObjectType).getFields())) expect(field.resolve).toBeUndefined();
  }
  const result = await run('{ cells { keys { dimension value } count suppressed complete } }');
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    captureStats: {
      cells: [
        {
          keys: [
            { dimension: 'HOUR', value: '2026-10-01T08' },
            { dimension: 'CHECKPOINT', value: 'CP1' },
          ],
          count: 12,
          suppressed: false,
          complete: true,
        },
        {
          keys: [
            { dimension: 'HOUR', value: '2026-10-01T08' },
            { dimension: 'CHECKPOINT', value: 'CP2' },
          ],
          count: null,
          suppressed: true,
          complete: false,
        },
      ],
    },
  });
});

it('masks the fields the grant masks, in every cell', async () => {
  const result = await run('{ cells { keys { value } count } }', {
    'AggregateKey.value': { kind: 'masked', mask: MaskKind.REDACT },
    'AggregateCell.count': { kind: 'masked', mask: MaskKind.REDACT },
  });
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    captureStats: {
      cells: [
        { keys: [{ value: '***' }, { value: '***' }], count: 0 },
        { keys: [{ value: '***' }, { value: '***' }], count: null },
      ],
    },
  });
});

it('refuses the cells when a field of theirs that is selected is not granted, through fragments too', async () => {
  const notGranted = { 'AggregateCell.complete': null, 'AggregateKey.dimension': null };
  expect((await run('{ cells { keys { value } count } }', notGranted)).errors).toBeUndefined();
  for (const [selection, fragments, path] of [
    ['{ cells { count complete } }', '', 'captureStats.cells.complete'],
    ['{ cells { count ...C } }', 'fragment C on AggregateCell { done: complete }', 'captureStats.cells.done'],
    ['{ cells { ... on AggregateCell { keys { ... on AggregateKey { dimension } } } } }', '', 'captureStats.cells.keys.dimension'],
  ]) {
    const result = await run(selection, notGranted, fragments);
    expect(result.data).toBeNull();
    expect(result.errors?.map(refusal)).toEqual([['FORBIDDEN', [path]]]);
  }
});

it('refuses the cells when `cells` itself is not granted', async () => {
  const result = await run('{ cells { count } }', { 'AggregateResult.cells': null });
  expect(result.errors?.map(refusal)).toEqual([['FORBIDDEN', ['captureStats.cells']]]);
});
