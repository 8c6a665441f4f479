import { createHmac } from 'node:crypto';

/** Longest variable value the audit record keeps whole. */
const MAX_AUDITED_LENGTH = 256;

/** Argument and input-field names whose values are personal data. */
const PERSONAL_NAMES = new Set(['idNumber', 'name', 'phone', 'legalRepresentative', 'certificateNumber']);

/**
 * Variables for the audit record with personal values replaced by a keyed digest: auditors can
 * see that two requests asked for the same person without the record holding who it was.
 * `personalVariables` are the variables the document passes to personal arguments.
 */
export function redactVariables(variables: Record<string, unknown> | undefined, personalVariables: ReadonlySet<string>, key: string): Record<string, unknown> {
  const digest = (value: unknown) => `[redacted ${createHmac('sha256', key).update(JSON.stringify(value)).digest('hex').slice(0, 16)}]`;
  const redact = (value: unknown): unknown => {
    // jsonb cannot hold NUL; an over-long value is kept as its start and its length.
    if (typeof value === 'string') {
      const safe = value.replace(/\u0000/g, '\uFFFD');
      return safe.length > MAX_AUDITED_LENGTH ? `${safe.slice(0, MAX_AUDITED_LENGTH)}… (${safe.length} characters)` : safe;
    }
    if (Array.isArray(value)) return value.map(redact);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, PERSONAL_NAMES.has(k) && v !== null ? digest(v) : redact(v)]));
  };
  return Object.fromEntries(Object.entries(variables ?? {}).map(([name, value]) => [name, personalVariables.has(name) && value !== null ? digest(value) : redact(value)]));
}

export { PERSONAL_NAMES };
