/**
 * Counts the SQL statements the ORM sends. Tests use it to prove that nested queries cost a
 * constant number of statements and that rejected operations cost none.
 */
export class QueryCounter {
  private count = 0;
  private readonly last: string[] = [];

  /** Counts a statement; the text of the last few is kept for tests to inspect. */
  record(sql = ''): void {
    this.count += 1;
    this.last.push(sql);
    if (this.last.length > 50) this.last.shift();
  }

  /** Text of the most recent statements sent through the read client, oldest first. */
  get recent(): readonly string[] {
    return this.last;
  }

  /** Runs `fn` and returns how many statements it sent alongside its result. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const before = this.count;
    const result = await fn();
    return { result, statements: this.count - before };
  }
}
