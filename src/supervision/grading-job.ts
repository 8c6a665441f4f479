import type { Pool } from 'pg';
import { SourceSystem } from '../../connectors/contract/canonical/codes';
import type { RiskGradeRules } from './risk-grade-rules';
import { gradeEnterprises, type GradingRun } from './risk-grading';

/**
 * Risk grading as a queue job, driven by what feeds it: a sync batch committed on a stream the
 * grades read, and a clue derivation that wrote or withdrew clues, ask for a grading run. The job
 * carries nothing: the affected enterprises are those whose inputs changed since the grading's
 * cursor (see risk-grading.ts), found in the transaction that writes their grades and moves the
 * cursor, so a run twice, or after a crash, neither misses nor doubles a change of grade.
 */

/** The queue the grading jobs go to. */
export const GRADING_QUEUE = 'grade-enterprises';

/** The streams whose rows some factor reads, per system; a batch on any other stream asks for nothing. */
const INPUT_STREAMS: Partial<Record<SourceSystem, readonly string[]>> = {
  [SourceSystem.TRANSPORT]: ['licences', 'vehicles', 'enforcementCases', 'weighings'],
  [SourceSystem.MARKET_REGISTRY]: ['enterprises', 'abnormalOperations'],
  [SourceSystem.CREDIT_PLATFORM]: ['ratings', 'listEntries'],
};

/** Whether a batch committed on this stream may change a grade. */
export function feedsGrading(system: SourceSystem, stream: string): boolean {
  return INPUT_STREAMS[system]?.includes(stream) ?? false;
}

/** How long requests are gathered into one grading run. */
export const GRADING_DEBOUNCE_MS = 2_000;

/** The job a request at `now` asks for: one per debounce interval, run when it ends (as `derivationJobFor`). */
export function gradingJobFor(now: number, debounceMs = GRADING_DEBOUNCE_MS): { jobId: string; delay: number } {
  const ends = Math.ceil((now + 1) / debounceMs) * debounceMs;
  return { jobId: `grade-${ends}`, delay: ends - now };
}

/** What a grading job reports: counts only (no enterprise is named in logs). */
export type GradingSummary = Pick<GradingRun, 'enterprises' | 'written' | 'changes' | 'withdrawn' | 'full'>;

/** The processor of the grading queue. */
export function gradingProcessor(pool: Pool, rules: RiskGradeRules): () => Promise<GradingSummary> {
  return () => gradeEnterprises(pool, rules);
}
