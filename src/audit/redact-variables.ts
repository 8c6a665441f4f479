import { createHmac, randomBytes } from 'node:crypto';
import type { RedactionPlan } from './personal-variables';
import { truncatedCodePoints, wellFormed } from './well-formed';

/** Longest variable value the audit record keeps whole. */
const MAX_AUDITED_LENGTH = 256;

/** Replaces a personal value in an audit event. */
export type Digest = (value: unknown) => string;

/** A fresh salt for one audit event. */
export const newDigestSalt = (): string => randomBytes(16).toString('hex');

/**
 * Digests keyed by the hub's secret and salted per event (the salt is stored in the event):
 * HMAC-SHA-256(key, salt ‖ value). Within one event, equal values have equal digests; across
 * events they differ, so nobody can confirm a guess by sending it and comparing digests, and
 * without the key not even with the salt. The hub's operators, holding the key, can still check
 * a value against an event when an investigation needs it.
 */
export function saltedDigest(key: string, salt: string): Digest {
  return (value) => `[redacted ${createHmac('sha256', key).update(salt).update('\n').update(JSON.stringify(value)).digest('hex').slice(0, 16)}]`;
}

/**
 * A value as the audit keeps it readable: jsonb cannot hold NUL or a lone surrogate; an over-long
 * value is kept as its start and its length, both in code points (characters).
 */
export function cleanValue(value: unknown): unknown {
  if (typeof value === 'string') {
    const safe = wellFormed(value);
    const cut = truncatedCodePoints(safe, MAX_AUDITED_LENGTH);
    return cut ? `${cut.head}… (${cut.codePoints} characters)` : safe;
  }
  // Coerced scalars (a DateTime default) are recorded as they were written on the wire.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map(cleanValue);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanValue(v)]));
  return value;
}

/**
 * Variables for the audit record with personal values (per `plan`, from the schema's
 * classifications) replaced by digests.
 */
export function redactVariables(variables: Record<string, unknown> | undefined, plan: RedactionPlan, digest: Digest): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(variables ?? {}).map(([name, value]) => {
      if (value === null || value === undefined) return [name, value];
      if (plan.all || plan.whole.has(name)) return [name, digest(value)];
      const keys = plan.keys.get(name);
      if (keys && typeof value === 'object' && !Array.isArray(value)) {
        return [name, Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keys.has(k) && v !== null ? digest(v) : cleanValue(v)]))];
      }
      return [name, cleanValue(value)];
    }),
  );
}
