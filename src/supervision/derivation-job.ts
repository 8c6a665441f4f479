import type { Pool } from 'pg';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import { deriveClues, type RuleRun } from './clue-derivation';
import type { ClueRules } from './clue-rules';

/**
 * Clue derivation as a queue job, driven by the sync: a batch committed on a stream a rule reads
 * asks for a derivation run. The job carries nothing (each rule's cursor says what is new), so
 * running it twice, or after a crash, is harmless: the cursor moves in the transaction that
 * writes the clues.
 */

/** The queue the derivation jobs go to (one for the hub: runs of one rule queue on its cursor row anyway). */
export const DERIVATION_QUEUE = 'derive-clues';

/** The streams whose rows some rule reads, per system; a batch on any other stream asks for nothing. */
const INPUT_STREAMS: Partial<Record<SourceSystem, readonly string[]>> = {
  [SourceSystem.TRANSPORT]: ['weighings', 'enforcementCases', 'vehicles', 'licences'],
  [SourceSystem.CHECKPOINT_EXCHANGE]: ['captures', 'checkpoints'],
};

/** Whether a batch committed on this stream may change a clue. */
export function feedsDerivation(system: SourceSystem, stream: string): boolean {
  return INPUT_STREAMS[system]?.includes(stream) ?? false;
}

/** How long batches are gathered into one derivation run: the clue latency this adds at most. */
export const DERIVATION_DEBOUNCE_MS = 1_000;

/**
 * The job a commit at `now` asks for: one per debounce interval, run when the interval ends, so a
 * burst of batches yields one run that sees them all. Its id names the interval: a commit in the
 * same interval finds the job already queued (BullMQ ignores a second job with a known id, on both
 * backends); a commit after the run started falls in a later interval and queues the next run.
 */
export function derivationJobFor(now: number, debounceMs = DERIVATION_DEBOUNCE_MS): { jobId: string; delay: number } {
  const ends = Math.ceil((now + 1) / debounceMs) * debounceMs;
  return { jobId: `derive-${ends}`, delay: ends - now };
}

/** What a derivation job reports: per rule, as `npm run derive` prints it. */
export type DerivationSummary = Array<Pick<RuleRun, 'ruleId' | 'keys' | 'written' | 'withdrawn'>>;

/** The processor of the derivation queue: every enabled rule from its cursor. */
export function derivationProcessor(pool: Pool, rules: ClueRules): () => Promise<DerivationSummary> {
  return async () => (await deriveClues(pool, rules)).map(({ ruleId, keys, written, withdrawn }) => ({ ruleId, keys, written, withdrawn }));
}
