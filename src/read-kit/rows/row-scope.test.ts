import { rowInScope, type RowScope } from './row-scope';

/** A row judged in memory against a caller's scope (a live step as it was): true, false, or unknown where only SQL could tell. */
describe('rowInScope', () => {
  const police: RowScope = [
    [
      { field: 'policeSight', startsWithAny: ['INVITED', 'TRANSFERRED'] },
      { field: 'receivingAgency', equals: 'suzhou-psb' },
    ],
  ];
  it('holds when every condition of an alternative holds, and not when one fails', () => {
    expect(rowInScope(police, { policeSight: 'TRANSFERRED', receivingAgency: 'suzhou-psb' })).toBe(true);
    expect(rowInScope(police, { policeSight: 'NONE', receivingAgency: 'suzhou-psb' })).toBe(false);
    expect(rowInScope(police, { policeSight: 'INVITED', receivingAgency: 'shanghai-psb' })).toBe(false);
    expect(rowInScope(police, { policeSight: null, receivingAgency: 'suzhou-psb' })).toBe(false);
  });

  it('is unknown where a property was not read or a condition needs other rows, unless another condition settles it', () => {
    expect(rowInScope(police, { policeSight: 'TRANSFERRED' })).toBeNull();
    expect(rowInScope(police, { policeSight: 'NONE' })).toBe(false);
    const via: RowScope = [[{ via: { type: 'Enterprise', on: [['uscc', 'uscc']] }, field: 'division', startsWithAny: ['3205'] }]];
    expect(rowInScope(via, { uscc: 'x' })).toBeNull();
    expect(rowInScope([...via, [{ field: 'division', overlapsAny: ['3205'] }]], { division: '320505' })).toBe(true);
    // A value read as another type than the condition's is left to SQL's comparison.
    expect(rowInScope([[{ field: 'year', equals: 2026 }]], { year: '2026' })).toBeNull();
    expect(rowInScope([[{ field: 'year', equals: 2026 }]], { year: 2026 })).toBe(true);
  });

  it('reads anyOf and overlapping divisions as the SQL does', () => {
    const jurisdiction: RowScope = [
      [
        {
          anyOf: [
            { field: 'division', overlapsAny: ['320505'] },
            { field: 'owner', equals: 'me' },
          ],
        },
      ],
    ];
    expect(rowInScope(jurisdiction, { division: '3205', owner: 'you' })).toBe(true);
    expect(rowInScope(jurisdiction, { division: '320506', owner: 'me' })).toBe(true);
    expect(rowInScope(jurisdiction, { division: '320506', owner: 'you' })).toBe(false);
    expect(rowInScope([], { division: '320505' })).toBe(false);
  });
});
