/** A source record a connector could not map, with every reason. */
export interface QuarantineEntry {
  sourceId: string | null;
  raw: unknown;
  reasons: string[];
}
