/**
 * The smallest number of records a published aggregate unit holds, unless an agreement says more
 * (`aggregates.<Type>.k`); also where no agreement is consulted (access control off: benchmarks),
 * so suppression is never off.
 */
export const DEFAULT_AGGREGATE_K = 5;

/** The k the caller's agreement sets for aggregates of `typeName`, or the default (also without access control). */
export function aggregateKOf(access: { aggregateK?(typeName: string): number | null | undefined } | null | undefined, typeName: string): number {
  return access?.aggregateK?.(typeName) ?? DEFAULT_AGGREGATE_K;
}
