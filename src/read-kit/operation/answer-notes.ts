/** Where an aggregate root field was answered from (`AggregateSource`'s values). */
export type AnswerSource = 'ROLLUP' | 'BASE';

/**
 * What a request's answer says of how it was computed, in the response's `extensions`, whether
 * or not the operation selected it: per aggregate root field (by its response key, the alias when
 * there is one), whether the rollup tables or the base tables answered it. One per request, held
 * by the context and written by the aggregate resolvers, read once when the answer leaves.
 */
export class AnswerNotes {
  private readonly sources = new Map<string, AnswerSource>();

  aggregateSource(responseKey: string, source: AnswerSource): void {
    this.sources.set(responseKey, source);
  }

  /** The response's extensions to add for the fields `data` answered (not null), or null when there is nothing to say. */
  extensions(data: Readonly<Record<string, unknown>>): { aggregateSources: Record<string, AnswerSource> } | null {
    const answered = [...this.sources].filter(([key]) => data[key] !== null && data[key] !== undefined);
    return answered.length ? { aggregateSources: Object.fromEntries(answered) } : null;
  }
}
