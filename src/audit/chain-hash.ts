import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import type { AuditEventContent } from './audit-event';

/**
 * The hash of an event: SHA-256 over the previous hash, its position, its time and its content
 * in canonical JSON (sorted keys, so the jsonb column's own key order does not matter).
 */
export function chainHash(prevHash: string, seq: number, occurredAt: string, content: AuditEventContent): string {
  return createHash('sha256').update(`${prevHash}\n`).update(canonicalJson({ seq, occurredAt, content })).digest('hex');
}
