/**
 * The smallest number of records a published aggregate unit holds, unless an agreement says more
 * (`aggregates.<Type>.k`); also where no agreement is consulted (access control off: benchmarks),
 * so suppression is never off.
 */
export const DEFAULT_AGGREGATE_K = 5;
