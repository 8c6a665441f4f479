import type { PlateColor } from '../../src/canonical/codes';
import { plateColorFromJttCode, validatePlate, validateResidentId, validateUscc, validateVin } from '../../src/identifiers';
import type { QuarantineEntry } from '../contract';
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

/** The hub's record id of a source id (the source numbers plate colours, the hub names them). */
export function hubRecordId(stream: TransportStream, sourceId: string): string {
  if (stream !== 'vehicles') return sourceId;
  const [plate, code] = sourceId.split('|');
  return `${plate}|${plateColorFromJttCode(Number(code)) ?? code}`;
}

/**
 * Maps one transport source record to its canonical form, or says every reason it cannot:
 * renamed change time, named plate colours, identifiers validated and normalised.
 */
export function mapTransportRecord(stream: TransportStream, source: TransportSourceRecord): { record: { updatedAt: string } } | { quarantine: QuarantineEntry } {
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
      record[field] = value;
    }
  }
  if (reasons.length) return { quarantine: { sourceId: source.id, raw: source, reasons } };
  return { record: record as { updatedAt: string } };
}
