import { validateVin } from '../../../connectors/contract/identifiers';
import { Random } from './random';
import { modelYearCode, VinFactory } from './vin-factory';

describe('modelYearCode', () => {
  it.each([
    [2001, '1'],
    [2009, '9'],
    [2010, 'A'],
    [2017, 'H'],
    [2018, 'J'],
    [2023, 'P'],
    [2024, 'R'],
    [2026, 'T'],
  ])('%i → %s', (year, code) => {
    expect(modelYearCode(year)).toBe(code);
  });

  it('has no code before 2001', () => {
    expect(() => modelYearCode(2000)).toThrow(RangeError);
  });
});

describe('VinFactory', () => {
  it('issues unique VINs that pass the check digit, with the model year at position 10', () => {
    const factory = new VinFactory();
    const rng = Random.from(5, 'vins');
    const vins = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const vin = factory.issue(rng, i % 2 ? 'HEAVY_TRUCK' : 'CAR', 2024);
      expect(validateVin(vin)).toEqual({ ok: true, value: vin, warnings: [] });
      expect(vin[9]).toBe('R');
      vins.add(vin);
    }
    expect(vins.size).toBe(2000);
  });
});
