import { unitReads, type AggregateGroup } from './aggregate-query';

const GROUPS: Record<string, AggregateGroup> = {
  DAY: { value: (u) => u('day') },
  MONTH: { value: (u) => `date_trunc('month', ${u('day')})` },
  STATION: { value: (u) => u('station') },
};
const READS = { DAY: ['measuredAt'], MONTH: ['measuredAt', 'month'], STATION: ['stationCode'] };

describe('unitReads', () => {
  it('names, per unit dimension, every field a group-by reading it reads', () => {
    expect(unitReads(GROUPS, READS)).toEqual({ day: ['measuredAt', 'month'], station: ['stationCode'] });
  });

  it('leaves a dimension whose group-by reads nothing with no reads', () => {
    expect(unitReads(GROUPS, { ...READS, STATION: [] })).toEqual({ day: ['measuredAt', 'month'], station: [] });
  });
});
