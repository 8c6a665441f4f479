import { PlateColor } from '../../../connectors/contract/canonical/codes';
import { PlateKind, validatePlate } from '../../../connectors/contract/identifiers';
import { PlateRegistry, PlateStyle } from './plate-registry';
import { Random } from './random';

describe('PlateRegistry', () => {
  it.each([
    ['SMALL', PlateKind.ORDINARY, PlateColor.BLUE],
    ['LARGE', PlateKind.ORDINARY, PlateColor.YELLOW],
    ['SMALL_NEW_ENERGY', PlateKind.NEW_ENERGY_SMALL, PlateColor.GRADIENT_GREEN],
    ['LARGE_NEW_ENERGY', PlateKind.NEW_ENERGY_LARGE, PlateColor.YELLOW_GREEN],
    ['TRAILER', PlateKind.TRAILER, PlateColor.YELLOW],
    ['COACH', PlateKind.COACH, PlateColor.YELLOW],
  ] as const)('issues valid %s plates', (style, kind, color) => {
    const registry = new PlateRegistry();
    const rng = Random.from(3, 'plates', style);
    for (let i = 0; i < 300; i++) {
      const plate = registry.issue(rng, '苏E', style as PlateStyle);
      expect(plate.plateColor).toBe(color);
      expect(validatePlate(plate.plateNumber)).toEqual({ ok: true, value: plate.plateNumber, kind, warnings: [] });
    }
  });

  it('never issues the same number and colour twice, but lets blue and yellow share a number', () => {
    const registry = new PlateRegistry();
    const rng = Random.from(3, 'plates', 'mixed');
    const issued = [];
    for (let i = 0; i < 5000; i++) issued.push(registry.issue(rng, '苏E', 'LARGE'));
    for (let i = 0; i < 20000; i++) issued.push(registry.issue(rng, '苏E', 'SMALL'));
    const keys = issued.map((p) => `${p.plateNumber}|${p.plateColor}`);
    expect(new Set(keys).size).toBe(keys.length);
    const numbers = issued.map((p) => p.plateNumber);
    expect(new Set(numbers).size).toBeLessThan(numbers.length);
    expect(registry.has(issued[0].plateNumber, PlateColor.YELLOW)).toBe(true);
  });
});
