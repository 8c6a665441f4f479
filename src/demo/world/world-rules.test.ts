import { CaseStatus, CreditGrade, CreditListType, LicenceScope, TransportCertificateStatus } from '../../../connectors/contract/canonical/codes';
import { isSuzhouDivision } from '../../../connectors/contract/identifiers';
import { generateWorld } from './world';

const world = generateWorld({ seed: 31, size: 0.05, days: 2 });
const END = world.options.endDate;
const END_INSTANT = `${END}T00:00:00+08:00`;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Rigid-truck and combination limits, written out independently of the generator. */
const RIGID_LIMIT: Record<number, number> = { 2: 18000, 3: 25000, 4: 31000 };
const WEIGHING_LIMITS: Record<number, number[]> = { 2: [18000], 3: [25000, 27000], 4: [31000, 36000], 5: [43000], 6: [46000, 49000] };

describe('world vehicles follow the rules', () => {
  it('have axle counts and masses that fit their GA 802 type', () => {
    for (const v of world.vehicles) {
      const m = v.ratedTotalMassKg;
      if (/^H1/.test(v.vehicleType)) {
        expect(m).toBeGreaterThanOrEqual(12000);
        expect(m).toBeLessThanOrEqual(RIGID_LIMIT[v.axleCount]);
      } else if (/^H2/.test(v.vehicleType)) {
        expect(v.axleCount).toBe(2);
        expect(m).toBeGreaterThan(4500);
        expect(m).toBeLessThan(12000);
      } else if (/^H3/.test(v.vehicleType)) {
        expect(v.axleCount).toBe(2);
        expect(m).toBeLessThanOrEqual(4500);
      } else if (/^K[34]/.test(v.vehicleType)) {
        expect(v.axleCount).toBe(2);
        expect(m).toBeLessThan(4500);
      } else if (/^K[12]/.test(v.vehicleType)) {
        expect(v.axleCount).toBeGreaterThanOrEqual(2);
        expect(v.axleCount).toBeLessThanOrEqual(3);
      } else if (/^Q/.test(v.vehicleType)) {
        expect(m).toBeLessThanOrEqual(RIGID_LIMIT[v.axleCount]);
      } else {
        expect(v.vehicleType).toMatch(/^B1/);
        expect(v.plateNumber.endsWith('挂')).toBe(true);
      }
    }
  });

  it('need no certificate as general cargo of ≤ 4.5 t, and carry one as heavy vehicles, tractors, trailers and buses', () => {
    for (const v of world.vehicles) {
      const exempt = v.transportCertificateStatus === TransportCertificateStatus.NOT_REQUIRED;
      if (/^H3/.test(v.vehicleType)) expect(exempt).toBe(true);
      if (/^(H1|H2|Q|B|K1|K2)/.test(v.vehicleType) && v.ownerUscc !== null) expect(exempt).toBe(false);
      if (exempt) {
        expect(v.transportCertificateNumber).toBeNull();
        expect(v.transportCertificateValidTo).toBeNull();
      } else {
        expect(v.transportCertificateNumber).toMatch(/^\d{12}$/);
        expect(v.transportCertificateValidTo).toMatch(DATE);
      }
      if (v.transportCertificateStatus === TransportCertificateStatus.EXPIRED) expect(v.transportCertificateValidTo! < END).toBe(true);
      if (v.transportCertificateStatus === TransportCertificateStatus.VALID) expect(v.transportCertificateValidTo! >= END).toBe(true);
    }
  });

  it('with a certificate belong to a holder licensed for them', () => {
    const scopes = new Map<string, Set<LicenceScope>>();
    for (const l of world.licences) for (const s of l.scopes) scopes.set(l.holderUscc, (scopes.get(l.holderUscc) ?? new Set()).add(s));
    const freight = [LicenceScope.FREIGHT_GENERAL, LicenceScope.FREIGHT_SPECIALISED, LicenceScope.FREIGHT_OVERSIZE, LicenceScope.FREIGHT_DANGEROUS_GOODS];
    const passenger = [LicenceScope.PASSENGER_SCHEDULED, LicenceScope.PASSENGER_CHARTER, LicenceScope.PASSENGER_TOURISM];
    for (const v of world.vehicles) {
      if (v.transportCertificateStatus === TransportCertificateStatus.NOT_REQUIRED) continue;
      const held = scopes.get(v.ownerUscc!) ?? new Set();
      if (v.plateNumber.endsWith('学')) expect(held.has(LicenceScope.DRIVER_TRAINING)).toBe(true);
      else if (['H14', 'H24', 'B13'].includes(v.vehicleType)) expect(held.has(LicenceScope.FREIGHT_DANGEROUS_GOODS)).toBe(true);
      else if (/^[HQB]/.test(v.vehicleType)) expect(freight.some((s) => held.has(s))).toBe(true);
      else expect(passenger.some((s) => held.has(s))).toBe(true);
    }
  });
});

describe('world licences', () => {
  it('run four years, and the valid ones reach past the end date', () => {
    for (const l of world.licences) {
      expect(l.validFrom < l.validTo).toBe(true);
      expect(l.validFrom < END).toBe(true);
      if (l.status === 'VALID') expect(l.validTo >= END).toBe(true);
      expect(l.scopes.length).toBeGreaterThan(0);
    }
  });
});

describe('world weighings', () => {
  it('compute overload exactly from the axle limits', () => {
    for (const w of world.weighings) {
      expect(WEIGHING_LIMITS[Math.min(w.axleCount, 6)]).toContain(w.limitKg);
      expect(w.overloadKg).toBe(Math.max(0, w.measuredTotalMassKg - w.limitKg));
      expect(w.overloadRatio).toBe(w.overloadKg === 0 ? 0 : Math.round((w.overloadKg / w.limitKg) * 10000) / 10000);
    }
  });

  it('are mostly within the limit, about one in ten over, a few grossly', () => {
    const over = world.weighings.filter((w) => w.overloadKg > 0);
    const share = over.length / world.weighings.length;
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.16);
    expect(over.some((w) => w.overloadRatio > 0.2)).toBe(true);
    expect(over.filter((w) => w.overloadRatio > 0.5).length).toBeLessThan(over.length * 0.2);
  });

  it('are in time order with instants before the end date', () => {
    for (let i = 1; i < world.weighings.length; i++) {
      expect(world.weighings[i - 1].measuredAt <= world.weighings[i].measuredAt).toBe(true);
    }
  });
});

describe('world credit', () => {
  it('grades follow the score bands', () => {
    for (const r of world.creditRatings) {
      expect(Number.isInteger(r.score)).toBe(true);
      if (r.score >= 90) expect(r.grade).toBe(CreditGrade.AA);
      else if (r.score >= 80) expect(r.grade).toBe(CreditGrade.A);
      else if (r.score >= 60) expect(r.grade).toBe(CreditGrade.B);
      else if (r.score >= 40) expect([CreditGrade.B, CreditGrade.C]).toContain(r.grade);
      else expect(r.grade).toBe(CreditGrade.D);
    }
  });

  it('rates most enterprises for a couple of past years', () => {
    const perEnterprise = new Map<string, number>();
    for (const r of world.creditRatings) perEnterprise.set(r.subjectUscc, (perEnterprise.get(r.subjectUscc) ?? 0) + 1);
    expect(perEnterprise.size / world.enterprises.length).toBeGreaterThan(0.6);
    for (const n of perEnterprise.values()) expect(n).toBeLessThanOrEqual(3);
    for (const r of world.creditRatings) expect(r.year).toBeLessThan(Number(END.slice(0, 4)));
  });

  it('mirrors every abnormal-operation listing on the credit platform', () => {
    const mirrored = world.creditListEntries.filter((l) => l.listType === CreditListType.ABNORMAL_OPERATION);
    expect(mirrored.map((l) => `${l.subjectUscc}|${l.listedOn}|${l.removedOn}`).sort()).toEqual(
      world.abnormalOperations.map((a) => `${a.uscc}|${a.listedOn}|${a.removedOn}`).sort(),
    );
    expect(world.creditListEntries.some((l) => l.listType !== CreditListType.ABNORMAL_OPERATION)).toBe(true);
  });

  it('lists and removals are ordered in time', () => {
    for (const l of [
      ...world.creditListEntries.map((x) => ({ listed: x.listedOn, removed: x.removedOn })),
      ...world.abnormalOperations.map((x) => ({ listed: x.listedOn, removed: x.removedOn })),
    ]) {
      if (l.removed !== null) expect(l.removed > l.listed).toBe(true);
    }
  });
});

describe('world enforcement cases', () => {
  it('fine only decided cases, and transfer to the police exactly the transferred ones', () => {
    for (const c of world.enforcementCases) {
      const decided = c.status === CaseStatus.PENALTY_DECIDED || c.status === CaseStatus.CLOSED;
      if (decided) expect(c.penaltyAmountYuan).toBeGreaterThanOrEqual(0);
      else expect(c.penaltyAmountYuan).toBeNull();
      expect(c.transferredToPolice).toBe(c.status === CaseStatus.TRANSFERRED);
      expect(isSuzhouDivision(c.divisionCode)).toBe(true);
    }
    const statuses = new Set(world.enforcementCases.map((c) => c.status));
    expect(statuses.has(CaseStatus.CLOSED)).toBe(true);
    expect(statuses.has(CaseStatus.REGISTERED) || statuses.has(CaseStatus.INVESTIGATING)).toBe(true);
  });

  it('fine overloading ¥500 per started tonne beyond the 1,000 kg margin, capped at ¥30,000, from the weighing', () => {
    const weighings = new Map(world.weighings.map((w) => [w.sourceId, w]));
    const overloadCases = world.enforcementCases.filter((c) => c.violationCode === 'T8001');
    expect(overloadCases.length).toBeGreaterThan(0);
    for (const c of overloadCases) {
      const weighing = weighings.get(/称重记录(WG\d+)/.exec(c.summary)![1])!;
      expect(weighing.plateNumber).toBe(c.vehiclePlateNumber);
      expect(weighing.measuredAt).toBe(c.occurredAt);
      expect(weighing.overloadKg).toBeGreaterThan(1000);
      if (c.penaltyAmountYuan !== null) expect(c.penaltyAmountYuan).toBe(Math.min(30000, Math.ceil(weighing.overloadKg / 1000) * 500));
    }
  });
});

describe('world dates', () => {
  const instants = [
    ...world.enterprises.map((r) => r.updatedAt),
    ...world.abnormalOperations.map((r) => r.updatedAt),
    ...world.licences.map((r) => r.updatedAt),
    ...world.vehicles.map((r) => r.updatedAt),
    ...world.practitioners.map((r) => r.updatedAt),
    ...world.checkpoints.map((r) => r.updatedAt),
    ...world.creditRatings.map((r) => r.updatedAt),
    ...world.creditListEntries.map((r) => r.updatedAt),
    ...world.enforcementCases.flatMap((r) => [r.updatedAt, r.occurredAt]),
    ...world.weighings.flatMap((r) => [r.updatedAt, r.measuredAt]),
  ];
  const dates = [
    ...world.enterprises.map((r) => r.establishedOn),
    ...world.abnormalOperations.flatMap((r) => [r.listedOn, r.removedOn ?? r.listedOn]),
    ...world.licences.map((r) => r.validFrom),
    ...world.creditListEntries.flatMap((r) => [r.listedOn, r.removedOn ?? r.listedOn]),
  ];

  it('write every instant with the +08:00 offset, before the end date', () => {
    for (const t of instants) {
      expect(t).toMatch(INSTANT);
      expect(t < END_INSTANT).toBe(true);
    }
  });

  it('write every event date as YYYY-MM-DD, before the end date', () => {
    for (const d of dates) {
      expect(d).toMatch(DATE);
      expect(d < END).toBe(true);
    }
  });

  it('never date an update before the thing it updates', () => {
    for (const e of world.enterprises) expect(e.updatedAt.slice(0, 10) >= e.establishedOn).toBe(true);
    for (const c of world.enforcementCases) expect(c.updatedAt >= c.occurredAt).toBe(true);
    const established = new Map(world.enterprises.map((e) => [e.uscc, e.establishedOn]));
    for (const c of world.enforcementCases) if (c.partyUscc) expect(c.occurredAt.slice(0, 10) > established.get(c.partyUscc)!).toBe(true);
    for (const w of world.weighings) expect(w.updatedAt >= w.measuredAt).toBe(true);
  });
});
