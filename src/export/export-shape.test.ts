import { parse } from 'graphql';
import { aggregateRows, exportShapeOf } from './export-shape';

describe('what an export reads', () => {
  it('pages through a connection: its path, its rows and its columns, nested fields dotted, fragments spread', () => {
    const shape = exportShapeOf(
      parse(`query V($after: String) { vehicles(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { plateNumber ...Owner } } } }
             fragment Owner on Vehicle { owner { name } }`),
      null,
    );
    expect(shape).toEqual({
      connectionPath: ['vehicles'],
      rowsUnder: 'edges',
      afterVariable: 'after',
      columns: [
        { header: 'plateNumber', path: ['plateNumber'] },
        { header: 'owner.name', path: ['owner', 'name'] },
      ],
    });
  });

  it("reads an aggregate's cells in one answer, a column per dimension, cell field and measure; a suppressed cell's values stay null", () => {
    const shape = exportShapeOf(
      parse(`query S($from: DateTime!, $to: DateTime!) { caseStats(filter: { from: $from, to: $to }, groupBy: [MONTH, DIVISION], measures: [COUNT, SUM_FINE]) {
        cells { keys { dimension value } count suppressed values { measure value } } k } }`),
      null,
    );
    expect(shape).toMatchObject({ connectionPath: ['caseStats'], rowsUnder: 'cells', afterVariable: null });
    const { columns, rows } = aggregateRows([
      {
        keys: [
          { dimension: 'MONTH', value: '2026-10' },
          { dimension: 'DIVISION', value: '320505' },
        ],
        count: 12,
        suppressed: false,
        values: [{ measure: 'SUM_FINE', value: 3400 }],
      },
      {
        keys: [
          { dimension: 'MONTH', value: '2026-10' },
          { dimension: 'DIVISION', value: '320506' },
        ],
        count: null,
        suppressed: true,
        values: [{ measure: 'SUM_FINE', value: null }],
      },
    ]);
    expect(columns.map((c) => c.header)).toEqual(['MONTH', 'DIVISION', 'count', 'suppressed', 'SUM_FINE']);
    expect(rows).toEqual([
      ['2026-10', '320505', 12, false, 3400],
      ['2026-10', '320506', null, true, null],
    ]);
  });

  it('refuses what it cannot page: two connections, none, a literal cursor, a mutation', () => {
    const refused = (query: string) => () => exportShapeOf(parse(query), null);
    expect(
      refused(
        '{ a: vehicles { pageInfo { hasNextPage endCursor } nodes { plateNumber } } b: vehicles { pageInfo { hasNextPage endCursor } nodes { plateNumber } } }',
      ),
    ).toThrow(/exactly one connection/);
    expect(refused('{ vehicles { totalCount } }')).toThrow(/exactly one connection/);
    expect(refused('{ vehicles(after: "x") { pageInfo { hasNextPage endCursor } nodes { plateNumber } } }')).toThrow(/from a variable/);
    expect(refused('mutation { x }')).toThrow(/only a query/);
  });
});
