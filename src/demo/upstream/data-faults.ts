/**
 * Faults in the data a simulator serves, as agencies' systems show them. Each simulator applies
 * them its own way (what "malformed" means is the system's own kind of bad record).
 */
export interface DataFaults {
  /** Source ids of records served malformed: a bad credit code, an impossible date, an unknown code. */
  malformed?: readonly string[];
  /** About one record in N (chosen by id, the same on every read) is served malformed. */
  malformedEvery?: number;
  /** Each page after the first starts again with the last record of the page before it. */
  repeatAcrossPages?: boolean;
  /** Records deleted at the source once the next page has been served: a read sees them go mid-way. */
  deleteDuringRead?: readonly string[];
}

/** Tracks the one-shot `deleteDuringRead` fault: the ids are handed out once, after a page. */
export class PendingDeletions {
  private ids: string[] = [];

  arm(faults: DataFaults): void {
    this.ids = [...(faults.deleteDuringRead ?? [])];
  }

  /** Called after a page is served: the ids to delete now (once). */
  take(): string[] {
    const ids = this.ids;
    this.ids = [];
    return ids;
  }
}

/** Whether the record `id` is served malformed under `faults`. */
export function isMalformed(faults: DataFaults, id: string): boolean {
  if (faults.malformed?.includes(id)) return true;
  if (!faults.malformedEvery) return false;
  // FNV-1a: a stable choice of records, independent of the order they are served in.
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return hash % faults.malformedEvery === 0;
}
