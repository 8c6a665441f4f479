import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** SHA-256 of a record's canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHash(record: object): string {
  return createHash('sha256').update(JSON.stringify(canonical(record))).digest('hex');
}
