import {
  CaseStatus,
  LicenceScope,
  LicenceStatus,
  PractitionerStatus,
  QualificationCategory,
  TransportCertificateStatus,
  type PlateColor,
} from '../contract/canonical/codes';
import { plateColorFromJttCode, validatePlate, validateResidentId, validateUscc, validateVin } from '../contract/identifiers';
import type { Mapped } from '../contract';
import { COLOUR_FIELDS, type TransportSourceRecord, type TransportStream } from './transport-format';

type Validation = { ok: true; value: string } | { ok: false; reason: string };

/** Identifier fields of the transport records and how each is checked and normalised. */
const IDENTIFIERS: Record<string, (value: string) => Validation> = {
  plateNumber: validatePlate,
  vehiclePlateNumber: validatePlate,
  vin: validateVin,
  // Early pilot-area codes are legally valid yet fail the checksum: flag, do not drop.
  ownerUscc: (v) => validateUscc(v, { allowChecksumFailure: true }),
  holderUscc: (v) => validateUscc(v, { allowChecksumFailure: true }),
  employerUscc: (v) => validateUscc(v, { allowChecksumFailure: true }),
  partyUscc: (v) => validateUscc(v, { allowChecksumFailure: true }),
  idNumber: validateResidentId,
  partyIdNumber: validateResidentId,
};

/** Calendar-date fields: a real day, `YYYY-MM-DD`. */
const DATE_FIELDS = new Set(['validFrom', 'validTo', 'transportCertificateValidTo']);
/** Instant fields besides the change time. */
const INSTANT_FIELDS = new Set(['occurredAt', 'measuredAt', 'decidedAt', 'transferredAt']);

/** Code fields per stream and the codes the hub knows: an unknown code is a bad record. */
const CODE_FIELDS: Partial<Record<TransportStream, Record<string, readonly string[]>>> = {
  licences: { status: Object.values(LicenceStatus), scopes: Object.values(LicenceScope) },
  vehicles: { transportCertificateStatus: Object.values(TransportCertificateStatus) },
  practitioners: { status: Object.values(PractitionerStatus), qualificationCategory: Object.values(QualificationCategory) },
  enforcementCases: { status: Object.values(CaseStatus) },
};

function isRealDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

/**
 * Why a value of a date, instant or code field is unusable, or null: such values would otherwise
 * fail the whole batch in the database (or land as a code nothing understands).
 */
function fieldProblem(stream: TransportStream, field: string, value: unknown): string | null {
  if (value === null) return null;
  if (DATE_FIELDS.has(field) && !isRealDate(value)) return `${field}: "${String(value)}" is not a real date`;
  if (INSTANT_FIELDS.has(field) && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) return `${field}: "${String(value)}" is not an instant`;
  const codes = CODE_FIELDS[stream]?.[field];
  if (codes) {
    const values = Array.isArray(value) ? value : [value];
    const unknown = values.filter((v) => typeof v !== 'string' || !codes.includes(v));
    if (unknown.length) return `${field}: unknown code ${unknown.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return null;
}

/** The hub's record id of a source id (the source numbers plate colours, the hub names them). */
export function hubRecordId(stream: TransportStream, sourceId: string): string {
  // Normalised as the mapping normalises the record's own fields (full-width letters, a lower-case
  // x), so a tombstone or a quarantine entry names the row the hub keeps.
  const normalised = (value: string, validate: (v: string) => Validation) => {
    const checked = validate(value);
    return checked.ok ? checked.value : value;
  };
  if (stream === 'practitioners') return normalised(sourceId, validateResidentId);
  if (stream !== 'vehicles') return sourceId;
  const [plate, code] = sourceId.split('|');
  return `${normalised(plate, validatePlate)}|${plateColorFromJttCode(Number(code)) ?? code}`;
}

/**
 * Maps one transport source record to its canonical form, or says every reason it cannot:
 * renamed change time, named plate colours, identifiers validated and normalised.
 */
export function mapTransportRecord(stream: TransportStream, source: TransportSourceRecord): Mapped<{ updatedAt: string }> {
  const reasons: string[] = [];
  const record: Record<string, unknown> = {};
  const colourOf = Object.fromEntries(Object.entries(COLOUR_FIELDS).map(([canonical, numeric]) => [numeric, canonical]));
  for (const [field, value] of Object.entries(source)) {
    if (field === 'id') continue;
    if (field === 'lastModified') {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) reasons.push(`lastModified: "${String(value)}" is not an instant`);
      record.updatedAt = value;
    } else if (colourOf[field]) {
      const colour: PlateColor | null = value === null ? null : plateColorFromJttCode(Number(value));
      if (value !== null && !colour) reasons.push(`${field}: unknown plate colour code ${String(value)}`);
      record[colourOf[field]] = colour;
    } else if (IDENTIFIERS[field] && value !== null) {
      const checked = typeof value === 'string' ? IDENTIFIERS[field](value) : { ok: false as const, reason: 'is not text' };
      if (checked.ok) record[field] = checked.value;
      else reasons.push(`${field}: ${checked.reason}`);
    } else {
      const problem = fieldProblem(stream, field, value);
      if (problem) reasons.push(problem);
      record[field] = value;
    }
  }
  // Quarantined under the id the hub keys the record by, so a valid version landing later
  // resolves the entry, and reconciliation counts the record as present.
  if (reasons.length) return { quarantine: { sourceId: hubRecordId(stream, source.id), raw: source, reasons } };
  return { record: record as { updatedAt: string } };
}
