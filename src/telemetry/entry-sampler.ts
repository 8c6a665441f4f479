import { SpanKind } from '@opentelemetry/api';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/** Where work comes into the hub: a request served, a job queued, a job run. */
const ENTRY_KINDS: ReadonlySet<SpanKind> = new Set([SpanKind.SERVER, SpanKind.PRODUCER, SpanKind.CONSUMER]);

/**
 * Decides for spans that would start a trace: only a span where work comes in may. What runs
 * outside any request or job (building the schema at start, the pollers' statements, BullMQ's
 * own Redis commands) would otherwise be a one-span trace each, many a second.
 * Spans with a parent follow their parent's decision (`ParentBasedSampler`).
 */
export class EntrySampler implements Sampler {
  shouldSample(_context: unknown, _traceId: string, _name: string, kind: SpanKind): SamplingResult {
    return { decision: ENTRY_KINDS.has(kind) ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return 'EntrySampler';
  }
}
