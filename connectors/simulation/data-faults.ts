/**
 * Faults in the data a simulator serves, as agencies' systems show them. Each simulator applies
 * them its own way (what "malformed" means is the system's own kind of bad record).
 */
export interface DataFaults {
  /** Source ids of records served malformed: a bad credit code, an impossible date, an unknown code. */
  malformed?: readonly string[];
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
