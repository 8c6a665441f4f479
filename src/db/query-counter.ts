/**
 * Counts the SQL statements the ORM sends. Tests use it to prove that nested queries cost a
 * constant number of statements and that rejected operations cost none.
 */
export class QueryCounter {
  private count = 0;

  record(): void {
    this.count += 1;
  }

  get total(): number {
    return this.count;
  }

  /** Runs `fn` and returns how many statements it sent alongside its result. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.count;
    const result = await fn();
    return { result, statements: this.count - before };
  }
}
