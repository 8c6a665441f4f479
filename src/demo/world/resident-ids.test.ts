import { isSuzhouDivision, validateResidentId } from '../../../connectors/contract/identifiers';
import { Random } from './random';
import { ResidentIdFactory } from './resident-ids';

const RETIRED = ['320502', '320503', '320504', '320584', '320586', '320511'];

describe('ResidentIdFactory', () => {
  it('issues unique valid numbers with real birth dates in range and sex in the sequence parity', () => {
    const factory = new ResidentIdFactory(1960, 2003);
    const rng = Random.from(9, 'ids');
    const seen = new Set<string>();
    let retired = 0;
    for (let i = 0; i < 3000; i++) {
      const person = factory.issue(rng, 0.8);
      expect(validateResidentId(person.idNumber)).toEqual({ ok: true, value: person.idNumber, warnings: [] });
      const year = Number(person.idNumber.slice(6, 10));
      expect(year).toBeGreaterThanOrEqual(1960);
      expect(year).toBeLessThanOrEqual(2003);
      expect(person.birthDate.replace(/-/g, '')).toBe(person.idNumber.slice(6, 14));
      expect(Number(person.idNumber[16]) % 2 === 1).toBe(person.sex === 'M');
      const address = person.idNumber.slice(0, 6);
      if (RETIRED.includes(address)) {
        retired++;
        expect(year).toBeLessThanOrEqual(1995);
      }
      expect(isSuzhouDivision(address) || ['31', '32', '33', '34'].includes(address.slice(0, 2))).toBe(true);
      seen.add(person.idNumber);
    }
    expect(seen.size).toBe(3000);
    expect(retired).toBeGreaterThan(100);
  });
});
