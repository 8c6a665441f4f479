import 'reflect-metadata';
import path from 'node:path';
import { loadAgreements, type Agreement } from '../../src/access/agreements';
import { receiverAgreementOf } from '../../src/access/receiver-agreement';
import { projectRoot } from '../../src/config';
import { HUB_PARTS } from '../../src/graphql/composition';
import { buildHubSchema } from '../../src/graphql/schema';
import { clueAsReceiverSees, CLUE_SHARE_PROPERTIES, EVIDENCE_SHARE_PROPERTIES, MAX_SHARED_EVIDENCE } from '../../src/domains/cooperation';
import { InvalidInputError } from '../../src/errors';

/**
 * What a peer bureau is sent is shaped by its own agreement with us, read from the committed
 * agreements file: the fields it grants, masks it applies, the row scope on vehicles; a bureau
 * whose agreement has lapsed is sent nothing.
 */

let agreements: Agreement[];
const NOW = new Date('2026-12-01T00:00:00+08:00');

beforeAll(async () => {
  agreements = loadAgreements(path.join(projectRoot, 'schema/policy/agreements.json'), await buildHubSchema(HUB_PARTS)).agreements;
});

const clue = (plateNumber: string | null) =>
  Object.fromEntries(
    CLUE_SHARE_PROPERTIES.map((p) => [
      p,
      {
        id: 'CL-1',
        kind: 'OVERLOAD',
        subjectType: plateNumber ? 'VEHICLE' : 'ENTERPRISE',
        subjectKey: plateNumber ? `${plateNumber}/YELLOW` : '91320500MA1XXXXX0X',
        plateNumber,
        plateColor: plateNumber ? 'YELLOW' : null,
        division: '320506',
        severity: 'HIGH',
        status: 'OPEN',
        ruleId: 'OVERLOAD',
        ruleVersion: '1',
        windowStart: '2026-11-20',
        evidenceCount: 3,
      }[p],
    ]),
  );
const evidence = (kind: string, plate: string | null, observedAt: string) =>
  EVIDENCE_SHARE_PROPERTIES.map(
    (p) => ({ kind, observedAt, recordedState: null, plateNumber: plate, plateColor: plate ? 'YELLOW' : null, caseNumber: null, licenceNumber: null })[p],
  );

describe("a clue as the receiving bureau's agreement lets it see it", () => {
  it('Shanghai (CSJ-SH-2026-01): its 沪 vehicles only, never a capture time, the agreement named', () => {
    const shanghai = receiverAgreementOf(agreements, 'shanghai-transport', 'officer', 'cross-region-enforcement', NOW)!;
    expect(shanghai.id).toBe('CSJ-SH-2026-01');
    const shared = clueAsReceiverSees(
      clue('沪B87009'),
      [
        evidence('WEIGHING', '沪B87009', '2026-11-20T10:00:00+08:00'),
        evidence('CAPTURE', '沪B87009', '2026-11-20T11:00:00+08:00'),
        evidence('WEIGHING', '苏E12345', '2026-11-20T09:00:00+08:00'),
      ],
      shanghai,
      'shanghai-transport',
    );
    expect(shared).toMatchObject({
      clue: { id: 'CL-1', kind: 'OVERLOAD', subjectKey: '沪B87009/YELLOW', evidenceCount: 3 },
      withheld: 1,
      shapedBy: 'CSJ-SH-2026-01',
    });
    expect(shared.clue).not.toHaveProperty('plateNumber');
    expect(shared.evidence).toEqual([
      { kind: 'CAPTURE', recordedState: null, licenceNumber: null, plateNumber: '沪B87009', plateColor: 'YELLOW' },
      { kind: 'WEIGHING', recordedState: null, licenceNumber: null, observedAt: '2026-11-20T10:00:00+08:00', plateNumber: '沪B87009', plateColor: 'YELLOW' },
    ]);
  });

  it('refuses a clue about a vehicle outside the receiver’s row scope, naming clueId', () => {
    const shanghai = receiverAgreementOf(agreements, 'shanghai-transport', 'officer', 'cross-region-enforcement', NOW)!;
    expect(() => clueAsReceiverSees(clue('苏E12345'), [], shanghai, 'shanghai-transport')).toThrow(InvalidInputError);
    // Zhejiang's scope is 浙: the same 沪 clue is not Zhejiang's to see.
    const zhejiang = receiverAgreementOf(agreements, 'zhejiang-transport', 'officer', 'cross-region-enforcement', NOW)!;
    expect(() => clueAsReceiverSees(clue('沪B87009'), [], zhejiang, 'zhejiang-transport')).toThrow(/clueId/);
  });

  it(`sends at most ${MAX_SHARED_EVIDENCE} pieces of evidence, the latest, and counts the rest as withheld`, () => {
    const shanghai = receiverAgreementOf(agreements, 'shanghai-transport', 'officer', 'cross-region-enforcement', NOW)!;
    const many = Array.from({ length: MAX_SHARED_EVIDENCE + 3 }, (_, i) =>
      evidence('WEIGHING', '沪B87009', `2026-11-${String(10 + i).padStart(2, '0')}T10:00:00+08:00`),
    );
    const shared = clueAsReceiverSees(clue(null), many, shanghai, 'shanghai-transport') as { evidence: Array<{ observedAt: string }>; withheld: number };
    expect(shared.evidence).toHaveLength(MAX_SHARED_EVIDENCE);
    expect(shared.withheld).toBe(3);
    expect(shared.evidence[0].observedAt).toBe('2026-11-22T10:00:00+08:00');
  });

  it('finds no agreement for a bureau whose agreement has lapsed (Anhui), nor for an agency with none', () => {
    expect(receiverAgreementOf(agreements, 'anhui-transport', 'officer', 'cross-region-enforcement', NOW)).toBeNull();
    expect(receiverAgreementOf(agreements, 'beijing-transport', 'officer', 'cross-region-enforcement', NOW)).toBeNull();
  });

  it('masks what the receiver’s agreement masks', () => {
    const shanghai = receiverAgreementOf(agreements, 'shanghai-transport', 'officer', 'cross-region-enforcement', NOW)!;
    expect(shanghai.shape('Practitioner', 'name', '张三明')).toEqual({ value: '张*明' });
    expect(shanghai.shape('Practitioner', 'phone', '13812345678')).toBeNull();
  });
});
