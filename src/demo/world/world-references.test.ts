import { isSuzhouDivision } from '../../../connectors/contract/identifiers';
import { generateWorld } from './world';

const world = generateWorld({ seed: 23, size: 0.05, days: 3 });
const usccs = new Set(world.enterprises.map((e) => e.uscc));
const idNumbers = new Set(world.practitioners.map((p) => p.idNumber));
const vehicleKeys = new Set(world.vehicles.map((v) => `${v.plateNumber}|${v.plateColor}`));

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

describe('world references resolve', () => {
  it('licence holders, vehicle owners and employers are enterprises of the world', () => {
    for (const l of world.licences) expect(usccs.has(l.holderUscc)).toBe(true);
    for (const v of world.vehicles) if (v.ownerUscc !== null) expect(usccs.has(v.ownerUscc)).toBe(true);
    for (const p of world.practitioners) if (p.employerUscc !== null) expect(usccs.has(p.employerUscc)).toBe(true);
    expect(world.vehicles.filter((v) => v.ownerUscc !== null).length / world.vehicles.length).toBeGreaterThan(0.95);
  });

  it('credit ratings, list entries and abnormal operations name enterprises of the world', () => {
    for (const r of world.creditRatings) expect(usccs.has(r.subjectUscc)).toBe(true);
    for (const l of world.creditListEntries) expect(usccs.has(l.subjectUscc)).toBe(true);
    for (const a of world.abnormalOperations) expect(usccs.has(a.uscc)).toBe(true);
  });

  it('enforcement cases name parties and vehicles of the world', () => {
    for (const c of world.enforcementCases) {
      expect(c.partyUscc !== null || c.partyIdNumber !== null).toBe(true);
      if (c.partyUscc !== null) expect(usccs.has(c.partyUscc)).toBe(true);
      if (c.partyIdNumber !== null) expect(idNumbers.has(c.partyIdNumber)).toBe(true);
      expect(c.vehiclePlateNumber === null).toBe(c.vehiclePlateColor === null);
      if (c.vehiclePlateNumber !== null) expect(vehicleKeys.has(`${c.vehiclePlateNumber}|${c.vehiclePlateColor}`)).toBe(true);
    }
  });

  it('weighings name vehicles of the world, mostly trucks and tractors', () => {
    const types = new Map(world.vehicles.map((v) => [`${v.plateNumber}|${v.plateColor}`, v.vehicleType]));
    for (const w of world.weighings) expect(vehicleKeys.has(`${w.plateNumber}|${w.plateColor}`)).toBe(true);
    const trucks = world.weighings.filter((w) => /^[HQ]/.test(types.get(`${w.plateNumber}|${w.plateColor}`)!)).length;
    expect(trucks / world.weighings.length).toBeGreaterThan(0.9);
    const heavy = world.weighings.filter((w) => /^(H[12]|Q)/.test(types.get(`${w.plateNumber}|${w.plateColor}`)!)).length;
    expect(heavy / world.weighings.length).toBeGreaterThan(0.8);
  });

  it('captures name checkpoints of the world', () => {
    const codes = new Set(world.checkpoints.map((c) => c.code));
    for (const day of world.captures()) for (const c of day) expect(codes.has(c.checkpointCode)).toBe(true);
  });
});

describe('world natural keys are unique', () => {
  it.each([
    ['enterprise credit codes', () => world.enterprises.map((e) => e.uscc)],
    ['licence numbers', () => world.licences.map((l) => l.number)],
    ['vehicle plate + colour', () => world.vehicles.map((v) => `${v.plateNumber}|${v.plateColor}`)],
    ['VINs', () => world.vehicles.map((v) => v.vin)],
    ['transport certificate numbers', () => world.vehicles.flatMap((v) => (v.transportCertificateNumber ? [v.transportCertificateNumber] : []))],
    ['resident ID numbers', () => world.practitioners.map((p) => p.idNumber)],
    ['checkpoint codes', () => world.checkpoints.map((c) => c.code)],
    ['case numbers', () => world.enforcementCases.map((c) => c.caseNumber)],
    ['weighing source ids', () => world.weighings.map((w) => w.sourceId)],
    ['credit rating source ids', () => world.creditRatings.map((r) => r.sourceId)],
    ['credit list source ids', () => world.creditListEntries.map((l) => l.sourceId)],
    ['abnormal operation source ids', () => world.abnormalOperations.map((a) => a.sourceId)],
    ['credit rating subject + year', () => world.creditRatings.map((r) => `${r.subjectUscc}|${r.year}`)],
  ])('%s', (_, keys) => {
    const values = keys();
    expect(values.length).toBeGreaterThan(0);
    expect(duplicates(values)).toEqual([]);
  });

  it('licence numbers carry a Suzhou division prefix and a 12-digit number', () => {
    for (const l of world.licences) {
      const match = /^苏交运管许可苏字(\d{12})号$/.exec(l.number);
      expect(match).not.toBeNull();
      expect(isSuzhouDivision(match![1].slice(0, 6))).toBe(true);
    }
  });

  it('case numbers follow 苏E交执〔year〕nnnnn号 with the year of the offence', () => {
    for (const c of world.enforcementCases) {
      const match = /^苏E交执〔(\d{4})〕(\d{5,})号$/.exec(c.caseNumber);
      expect(match).not.toBeNull();
      expect(match![1]).toBe(c.occurredAt.slice(0, 4));
    }
  });

  it('some blue and yellow plates share a number, proving identity is number + colour', () => {
    const big = generateWorld({ seed: 23, size: 0.3, days: 1 });
    const byNumber = new Map<string, Set<string>>();
    for (const v of big.vehicles) byNumber.set(v.plateNumber, (byNumber.get(v.plateNumber) ?? new Set()).add(v.plateColor));
    const shared = [...byNumber.values()].filter((colours) => colours.size > 1);
    expect(shared.length).toBeGreaterThan(0);
  });
});
