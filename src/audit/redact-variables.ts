import { createHmac } from 'node:crypto';
import type { RedactionPlan } from './personal-variables';

/** Longest variable value the audit record keeps whole. */
const MAX_AUDITED_LENGTH = 256;

/**
 * Variables for the audit record with personal values (per `plan`, from the schema's
 * classifications) replaced by a keyed digest: auditors can see that two requests asked for the
 * same person without the record holding who it was.
 */
export function redactVariables(variables: Record<string, unknown> | undefined, plan: RedactionPlan, key: string): Record<string, unknown> {
  const digest = (value: unknown) => `[redacted ${createHmac('sha256', key).update(JSON.stringify(value)).digest('hex').slice(0, 16)}]`;
  const clean = (value: unknown): unknown => {
    // jsonb cannot hold NUL; an over-long value is kept as its start and its length.
    if (typeof value === 'string') {
      const safe = value.replace(/\u0000/g, '\uFFFD');
      return safe.length > MAX_AUDITED_LENGTH ? `${safe.slice(0, MAX_AUDITED_LENGTH)}… (${safe.length} characters)` : safe;
    }
    if (Array.isArray(value)) return value.map(clean);
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clean(v)]));
    return value;
  };
  return Object.fromEntries(Object.entries(variables ?? {}).map(([name, value]) => {
    if (value === null || value === undefined) return [name, value];
    if (plan.all || plan.whole.has(name)) return [name, digest(value)];
    const keys = plan.keys.get(name);
    if (keys && typeof value === 'object' && !Array.isArray(value)) {
      return [name, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keys.has(k) && v !== null ? digest(v) : clean(v)]))];
    }
    return [name, clean(value)];
  }));
}
