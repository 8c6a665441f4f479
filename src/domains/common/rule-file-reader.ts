/** A rule file's parsed JSON, before its values are checked. */
export type RawRules = Record<string, unknown>;

/**
 * Reads one rule file's values, naming the place of each problem. The clue rules and the risk
 * grade rules share it so that both files refuse the same mistakes with the same words; each
 * file's own error class comes in through `fail`.
 */
export class RuleFileReader {
  constructor(readonly fail: (where: string, problem: string) => never) {}

  /** An object; with `keys`, one that holds no key but those (and `$comment`). */
  object(value: unknown, where: string, keys?: readonly string[]): RawRules {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(where, 'must be an object');
    const raw = value as RawRules;
    if (keys) this.onlyKeys(raw, where, keys);
    return raw;
  }

  onlyKeys(raw: RawRules, where: string, keys: readonly string[]): void {
    const extra = Object.keys(raw).filter((k) => !keys.includes(k) && k !== '$comment');
    if (extra.length) this.fail(where, `has unknown ${extra.join(', ')} (allowed: ${keys.join(', ')})`);
  }

  text(value: unknown, where: string): string {
    if (typeof value !== 'string' || !value.trim()) this.fail(where, 'must be a non-empty string');
    return value;
  }

  boolean(value: unknown, where: string): boolean {
    if (typeof value !== 'boolean') this.fail(where, `must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  number(value: unknown, where: string, min: number, max: number, whole: boolean): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (whole && !Number.isInteger(value))) {
      this.fail(where, `must be a ${whole ? 'whole number' : 'number'} from ${min} to ${max}, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  oneOf<E extends string>(values: Record<string, E>, value: unknown, where: string): E {
    const allowed = Object.values(values);
    if (!allowed.includes(value as E)) this.fail(where, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return value as E;
  }

  list<T>(value: unknown, where: string, item: (v: unknown, where: string) => T, minLength = 1): T[] {
    if (!Array.isArray(value) || value.length < minLength) this.fail(where, `must be a list of at least ${minLength}`);
    return value.map((v, i) => item(v, `${where}[${i}]`));
  }
}
