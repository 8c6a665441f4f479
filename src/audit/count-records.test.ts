import { countRecords } from './count-records';

/** The paths of `{ stats { cells { keys { value } count } grid { value } } }`, as an operation's analysis gives them. */
const paths = {
  types: new Map([
    ['', 'Query'],
    ['stats', 'AggregateResult'],
    ['stats.cells', 'AggregateCell'],
    ['stats.cells.keys', 'AggregateKey'],
    ['stats.grid', 'AggregateKey'],
  ]),
  fields: new Map([
    ['stats', 'stats'],
    ['stats.cells', 'cells'],
    ['stats.cells.keys', 'keys'],
    ['stats.cells.keys.value', 'value'],
    ['stats.cells.count', 'count'],
    ['stats.grid', 'grid'],
    ['stats.grid.value', 'value'],
  ]),
};

describe('countRecords', () => {
  it('counts every object of a list with nothing beneath it, nested lists and nulls as they lie', () => {
    const key = (value: string) => ({ value });
    const data = {
      stats: {
        cells: [{ keys: [key('a'), key('b')], count: 1 }, null, { keys: [key('c'), null], count: null }, { keys: [], count: 0 }],
        // A list of lists of objects: each inner object is one.
        grid: [[key('x'), key('y')], null, [key('z')], []],
      },
    };
    expect(countRecords(data, paths, new Map()).returned).toEqual({ Query: 1, AggregateResult: 1, AggregateCell: 3, AggregateKey: 6 });
  });
});
