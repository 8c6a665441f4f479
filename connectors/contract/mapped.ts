import type { QuarantineEntry } from './quarantine-entry';

/** What a connector's mapping makes of one source record: its canonical record, or a quarantine entry with every reason. */
export type Mapped<R> = { record: R } | { quarantine: QuarantineEntry };
