/** A statement as it was sent: its text and its parameters. */
export interface SentStatement {
  text: string;
  params: readonly unknown[];
  /** The prepared statement's name, when it was sent as one. */
  name?: string;
}

/**
 * Counts the SQL statements the hub sends. Tests use it to prove that nested queries cost a
 * constant number of statements, that rejected operations cost none, and what reads send.
 */
export class QueryCounter {
  private count = 0;
  private readonly last: string[] = [];
  private readonly captures = new Set<SentStatement[]>();

  /** Counts a statement; the text of the last few is kept for tests to inspect. */
  record(sql = '', params: readonly unknown[] = [], name?: string): void {
    this.count += 1;
    this.last.push(sql);
    if (this.last.length > 50) this.last.shift();
    for (const capture of this.captures) capture.push({ text: sql, params, ...(name ? { name } : {}) });
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

  /** Runs `fn` and returns every statement sent meanwhile, text and parameters (tests only: it keeps them all). */
  async capture<T>(fn: () => Promise<T>): Promise<{ result: T; sent: SentStatement[] }> {
    const sent: SentStatement[] = [];
    this.captures.add(sent);
    try {
      return { result: await fn(), sent };
    } finally {
      this.captures.delete(sent);
    }
  }
}
