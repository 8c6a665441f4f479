import { overloadFineYuan, overloadLimitKg } from './overload-limits';

describe('overloadLimitKg', () => {
  it.each([
    [2, false, false, 18000],
    [2, true, false, 18000],
    [3, false, false, 25000],
    [3, true, false, 27000],
    [4, false, false, 31000],
    [4, true, false, 36000],
    [5, true, false, 43000],
    [6, true, false, 49000],
    [6, true, true, 46000],
    [7, true, false, 49000],
  ])('%i axles, combination %s, single drive %s → %i kg', (axleCount, combination, singleDriveAxle, limit) => {
    expect(overloadLimitKg({ axleCount, combination, singleDriveAxle })).toBe(limit);
  });

  it('has no limit below two axles', () => {
    expect(() => overloadLimitKg({ axleCount: 1, combination: false })).toThrow(RangeError);
    expect(() => overloadLimitKg({ axleCount: 2.5, combination: false })).toThrow(RangeError);
  });
});

describe('overloadFineYuan', () => {
  it.each([
    [0, 0],
    [1000, 0], // warning only
    [1001, 1000],
    [2000, 1000],
    [2001, 1500],
    [7530, 4000],
    [59000, 29500],
    [60000, 30000],
    [100000, 30000], // capped
  ])('%i kg over → ¥%i', (overloadKg, fine) => {
    expect(overloadFineYuan(overloadKg)).toBe(fine);
  });
});
