/** What a profiling bench is told on its command line: `-- [size] [seconds] [top] [only]`. */
export interface ProfileArguments {
  /** The world's size (`generateWorld`). */
  size: number;
  /** How long the load runs while the hub is profiled. */
  seconds: number;
  /** How many of the busiest functions and places to print. */
  top: number;
  /** A name narrowing the run to one query or workload; all of them when absent. */
  only: string | undefined;
}

/** The profiling benches' positional arguments, each number's default where it is left out; a number that does not parse is refused, not run as NaN. */
export function profileArguments(defaults: Omit<ProfileArguments, 'only'>, argv: readonly string[] = process.argv): ProfileArguments {
  const numbers = (['size', 'seconds', 'top'] as const).map((name, i) => {
    const given = argv[2 + i];
    const value = given === undefined ? defaults[name] : Number(given);
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${given}`);
    return value;
  });
  return { size: numbers[0], seconds: numbers[1], top: numbers[2], only: argv[5] };
}
