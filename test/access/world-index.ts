import type { World } from '../../src/demo/world';
import type {
  CaptureRecord,
  EnforcementCaseRecord,
  EnterpriseRecord,
  PractitionerRecord,
  VehicleRecord,
  WeighingRecord,
} from '../../connectors/contract/canonical/records';

export type Row = Record<string, unknown>;

/** The window every world capture falls in (30 days before the world's end date, Asia/Shanghai). */
export const CAPTURE_WINDOW = { from: '2026-10-01T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' };

const vehicleKey = (plateNumber: string | null, plateColor: string | null) => `${plateNumber}|${plateColor}`;

function group<T>(rows: readonly T[], key: (row: T) => string | null): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const list = map.get(k) ?? [];
    list.push(row);
    map.set(k, list);
  }
  return map;
}

/**
 * Where each type's provenance comes from, as the brief's world describes it: the source system,
 * the agency owning it, and the record's id there. The tests' own table, not the hub's.
 */
const PROVENANCE_SOURCES: Record<string, { system: string; agency: string; recordId: (r: Row) => string; updatedAt: (r: Row) => string }> = {
  Enterprise: { system: 'MARKET_REGISTRY', agency: 'suzhou-amr', recordId: (r) => String(r.uscc), updatedAt: (r) => String(r.updatedAt) },
  AbnormalOperation: { system: 'MARKET_REGISTRY', agency: 'suzhou-amr', recordId: (r) => String(r.sourceId), updatedAt: (r) => String(r.updatedAt) },
  OperatorLicence: { system: 'TRANSPORT', agency: 'suzhou-transport', recordId: (r) => String(r.number), updatedAt: (r) => String(r.updatedAt) },
  Vehicle: { system: 'TRANSPORT', agency: 'suzhou-transport', recordId: (r) => `${r.plateNumber}|${r.plateColor}`, updatedAt: (r) => String(r.updatedAt) },
  Practitioner: { system: 'TRANSPORT', agency: 'suzhou-transport', recordId: (r) => String(r.idNumber), updatedAt: (r) => String(r.updatedAt) },
  EnforcementCase: { system: 'TRANSPORT', agency: 'suzhou-transport', recordId: (r) => String(r.caseNumber), updatedAt: (r) => String(r.updatedAt) },
  Weighing: { system: 'TRANSPORT', agency: 'suzhou-transport', recordId: (r) => String(r.sourceId), updatedAt: (r) => String(r.updatedAt) },
  Checkpoint: { system: 'CHECKPOINT_EXCHANGE', agency: 'suzhou-psb', recordId: (r) => String(r.code), updatedAt: (r) => String(r.updatedAt) },
  CheckpointCapture: { system: 'CHECKPOINT_EXCHANGE', agency: 'suzhou-psb', recordId: (r) => String(r.serial), updatedAt: (r) => String(r.capturedAt) },
  CreditRating: { system: 'CREDIT_PLATFORM', agency: 'jiangsu-credit', recordId: (r) => String(r.sourceId), updatedAt: (r) => String(r.updatedAt) },
  CreditListEntry: { system: 'CREDIT_PLATFORM', agency: 'jiangsu-credit', recordId: (r) => String(r.sourceId), updatedAt: (r) => String(r.updatedAt) },
};

/** The synthetic world, indexed by the relations the schema exposes. */
export class WorldIndex {
  readonly captures: CaptureRecord[];
  readonly vehicleByKey: Map<string, VehicleRecord>;
  readonly enterpriseByUscc: Map<string, EnterpriseRecord>;
  readonly practitionerById: Map<string, PractitionerRecord>;
  readonly vehiclesByOwner: Map<string, VehicleRecord[]>;
  readonly practitionersByEmployer: Map<string, PractitionerRecord[]>;
  readonly casesByParty: Map<string, EnforcementCaseRecord[]>;
  readonly casesByPerson: Map<string, EnforcementCaseRecord[]>;
  readonly casesByVehicle: Map<string, EnforcementCaseRecord[]>;
  readonly weighingsByVehicle: Map<string, WeighingRecord[]>;
  readonly capturesByVehicle: Map<string, CaptureRecord[]>;
  readonly ratingsBySubject: Map<string, Row[]>;
  readonly listEntriesBySubject: Map<string, Row[]>;
  readonly licencesByHolder: Map<string, Row[]>;
  readonly abnormalByUscc: Map<string, Row[]>;
  private readonly provenance = new Map<string, Row[]>();
  /** The hub's risk grades of the world's operators (hub-derived: read from the hub after it graded them), by credit code. */
  readonly riskGrades = new Map<string, Row>();

  constructor(readonly world: World) {
    this.captures = [...world.captures()].flat();
    this.vehicleByKey = new Map(world.vehicles.map((v) => [vehicleKey(v.plateNumber, v.plateColor), v]));
    this.enterpriseByUscc = new Map(world.enterprises.map((e) => [e.uscc, e]));
    this.practitionerById = new Map(world.practitioners.map((p) => [p.idNumber, p]));
    this.vehiclesByOwner = group(world.vehicles, (v) => v.ownerUscc);
    this.practitionersByEmployer = group(world.practitioners, (p) => p.employerUscc);
    this.casesByParty = group(world.enforcementCases, (c) => c.partyUscc);
    this.casesByPerson = group(world.enforcementCases, (c) => c.partyIdNumber);
    this.casesByVehicle = group(world.enforcementCases, (c) => (c.vehiclePlateNumber ? vehicleKey(c.vehiclePlateNumber, c.vehiclePlateColor) : null));
    this.weighingsByVehicle = group(world.weighings, (w) => vehicleKey(w.plateNumber, w.plateColor));
    this.capturesByVehicle = group(this.captures, (c) => vehicleKey(c.plateNumber, c.plateColor));
    this.ratingsBySubject = group(world.creditRatings as unknown as Row[], (r) => String(r.subjectUscc));
    this.listEntriesBySubject = group(world.creditListEntries as unknown as Row[], (r) => String(r.subjectUscc));
    this.licencesByHolder = group(world.licences as unknown as Row[], (r) => String(r.holderUscc));
    this.abnormalByUscc = group(world.abnormalOperations as unknown as Row[], (r) => String(r.uscc));
  }

  static vehicleKey = vehicleKey;

  /** The world records a returned object of `typeName` must be one of (null: not a world record type). */
  recordsOf(typeName: string, parentType?: string): readonly Row[] | null {
    const w = this.world;
    switch (typeName) {
      case 'Enterprise':
        return w.enterprises as unknown as Row[];
      case 'AbnormalOperation':
        return w.abnormalOperations as unknown as Row[];
      case 'OperatorLicence':
        return w.licences as unknown as Row[];
      case 'Vehicle':
        return w.vehicles as unknown as Row[];
      case 'Practitioner':
        return w.practitioners as unknown as Row[];
      case 'EnforcementCase':
        return w.enforcementCases as unknown as Row[];
      case 'Weighing':
        return w.weighings as unknown as Row[];
      case 'Checkpoint':
        return w.checkpoints as unknown as Row[];
      case 'CheckpointCapture':
        return this.captures as unknown as Row[];
      case 'CreditRating':
        return w.creditRatings as unknown as Row[];
      case 'CreditListEntry':
        return w.creditListEntries as unknown as Row[];
      case 'Provenance':
        return parentType ? this.provenanceOf(parentType) : null;
      default:
        return null;
    }
  }

  /** Provenance as the world implies it (syncedAt is the hub's own, so it is not compared). */
  provenanceOf(parentType: string): Row[] {
    const known = this.provenance.get(parentType);
    if (known) return known;
    const source = PROVENANCE_SOURCES[parentType];
    if (!source) throw new Error(`no provenance source for ${parentType}`);
    const rows = (this.recordsOf(parentType) ?? []).map((r) => ({
      system: source.system,
      agency: source.agency,
      recordId: source.recordId(r),
      sourceUpdatedAt: source.updatedAt(r),
    }));
    this.provenance.set(parentType, rows);
    return rows;
  }
}
