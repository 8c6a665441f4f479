/** How long a change time is treated as possibly still committing at a source, by default. */
export const DEFAULT_SAFETY_LAG_MS = 60_000;

/**
 * The change time (ms) a stream's committed cursor may stand at: the newest change seen, held back
 * to `settled` (the read's start minus the safety lag), and never before the previous cursor.
 * Rows stamped after `settled` may still be committing at the source; holding the cursor back
 * makes the next read cover them again, so late commits are not skipped.
 */
export function settledCursor(latest: number | null, previous: number | null, settled: number): number | null {
  if (latest === null || latest <= settled) return latest;
  return previous !== null && previous > settled ? previous : settled;
}
