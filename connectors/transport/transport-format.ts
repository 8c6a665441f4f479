import { PLATE_COLOR_JTT_CODE, type PlateColor } from '../contract/canonical/codes';

/**
 * The transport management system's own record format: the canonical fields, but `lastModified`
 * for the change time and plate colours as JT/T 808 numbers, as the bureau's system stores them.
 */
export type TransportSourceRecord = Record<string, unknown> & { id: string; lastModified: string };

/** Fields that carry a plate colour, and the numeric field the source uses for each. */
export const COLOUR_FIELDS: Record<string, string> = { plateColor: 'plateColorCode', vehiclePlateColor: 'vehiclePlateColorCode' };

/** The transport system's streams and how each names its records. */
export const TRANSPORT_STREAMS = {
  licences: (r: Record<string, unknown>) => String(r.number),
  vehicles: (r: Record<string, unknown>) => `${String(r.plateNumber)}|${PLATE_COLOR_JTT_CODE[r.plateColor as PlateColor]}`,
  practitioners: (r: Record<string, unknown>) => String(r.idNumber),
  enforcementCases: (r: Record<string, unknown>) => String(r.caseNumber),
  weighings: (r: Record<string, unknown>) => String(r.sourceId),
} as const;

export type TransportStream = keyof typeof TRANSPORT_STREAMS;
