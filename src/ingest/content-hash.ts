import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

/** SHA-256 of a record's canonical JSON (keys sorted): equal content, equal hash, whatever the key order. */
export function contentHash(record: object): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}
