import { applyMask } from '../read-kit/fields/masks';
import { divisionsOverlap } from '../read-kit/rows/row-scope';
import type { ReceiverAgreement } from '../read-kit/receiver-agreement';
import type { Agreement, RowCondition } from './agreements';

function holds(condition: RowCondition, values: Record<string, unknown>): boolean {
  // A jurisdiction is the receiving officer's token's, and a joined row is another table's: neither is in what is sent.
  if ('inJurisdictionOf' in condition || 'via' in condition) return false;
  if ('anyOf' in condition) return condition.anyOf.some((c) => holds(c, values));
  const value = values[condition.field];
  if ('equals' in condition) return value === condition.equals;
  if ('overlapsAny' in condition) return Array.isArray(condition.overlapsAny) && typeof value === 'string' && divisionsOverlap(value, condition.overlapsAny);
  if (typeof condition.startsWithAny === 'string') return false;
  return typeof value === 'string' && condition.startsWithAny.some((prefix) => value.startsWith(prefix));
}

/**
 * The agreement in force at `now` under which `agency`'s `role` reads for `purpose`, as a
 * `ReceiverAgreement`; null when there is none (no agreement, or it lapsed: the Anhui one).
 */
export function receiverAgreementOf(agreements: readonly Agreement[], agency: string, role: string, purpose: string, now: Date): ReceiverAgreement | null {
  const agreement = agreements.find(
    (a) => a.consumer.agency === agency && a.consumer.roles.includes(role) && a.purposes.includes(purpose) && a.validFrom <= now && now <= a.validUntil,
  );
  if (!agreement) return null;
  return {
    id: agreement.id,
    shape(type, field, value) {
      const mode = agreement.fields.get(type)?.get(field);
      if (!mode) return null;
      if (value === null || value === undefined || mode.kind === 'full') return { value: value ?? null };
      return { value: applyMask(mode.mask, value) };
    },
    admits(type, values) {
      return (agreement.rowScopes.get(type) ?? []).every((condition) => holds(condition, values));
    },
  };
}
