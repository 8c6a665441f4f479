import { InvalidInputError } from '../../errors';
import type { ReceiverAgreement } from '../../read-kit/receiver-agreement';

/** Most pieces of evidence a shared clue carries (the latest first); the rest stay here. */
export const MAX_SHARED_EVIDENCE = 10;

/** The clue's properties read for a share (its own fields, and the vehicle it is about). */
export const CLUE_SHARE_PROPERTIES = [
  'id',
  'kind',
  'subjectType',
  'subjectKey',
  'plateNumber',
  'plateColor',
  'division',
  'severity',
  'status',
  'ruleId',
  'ruleVersion',
  'windowStart',
  'evidenceCount',
] as const;

/** Each piece of evidence's properties read for a share, in this order. */
export const EVIDENCE_SHARE_PROPERTIES = ['kind', 'observedAt', 'recordedState', 'plateNumber', 'plateColor', 'caseNumber', 'licenceNumber'] as const;

/** The clue fields a receiver may be sent, each as its agreement grants `Clue.<field>`. */
const CLUE_FIELDS = ['id', 'kind', 'subjectType', 'subjectKey', 'division', 'severity', 'status', 'ruleId', 'ruleVersion', 'windowStart', 'evidenceCount'];

/** Evidence kinds whose time is a checkpoint capture's: police data, never sent (as `ClueEvidence.observedAt` is never shown for them). */
const CAPTURE_EVIDENCE = 'CAPTURE';

function shaped(out: Record<string, unknown>, receiver: ReceiverAgreement, type: string, field: string, name: string, value: unknown): void {
  const granted = receiver.shape(type, field, value);
  if (granted) out[name] = granted.value;
}

/**
 * A clue as the receiving bureau may see it, by its own agreement with us: only the fields it
 * grants (masked where it masks them), only evidence about vehicles within its row scope (the
 * rest counted as `withheld`), never a capture's time. A clue about a vehicle outside the
 * receiver's scope is not shared at all (BAD_USER_INPUT naming `clueId`).
 */
export function clueAsReceiverSees(
  clue: Record<string, unknown>,
  evidence: unknown[][],
  receiver: ReceiverAgreement,
  receiverAgency: string,
): Record<string, unknown> {
  if (clue.plateNumber && !receiver.admits('Vehicle', { plateNumber: clue.plateNumber, plateColor: clue.plateColor })) {
    throw new InvalidInputError('clueId', `is about a vehicle outside what ${receiverAgency}'s agreement ${receiver.id} covers`);
  }
  const sharedClue: Record<string, unknown> = {};
  for (const field of CLUE_FIELDS) shaped(sharedClue, receiver, 'Clue', field, field, clue[field]);
  const sharedEvidence: Array<Record<string, unknown>> = [];
  let withheld = 0;
  const rows = evidence
    .map((values) => Object.fromEntries(EVIDENCE_SHARE_PROPERTIES.map((p, i) => [p, values[i] ?? null])))
    .sort((a, b) => String(b.observedAt).localeCompare(String(a.observedAt)));
  for (const row of rows) {
    if (
      sharedEvidence.length >= MAX_SHARED_EVIDENCE ||
      (row.plateNumber && !receiver.admits('Vehicle', { plateNumber: row.plateNumber, plateColor: row.plateColor }))
    ) {
      withheld++;
      continue;
    }
    const item: Record<string, unknown> = {};
    shaped(item, receiver, 'ClueEvidence', 'kind', 'kind', row.kind);
    shaped(item, receiver, 'ClueEvidence', 'recordedState', 'recordedState', row.recordedState);
    shaped(item, receiver, 'ClueEvidence', 'licenceNumber', 'licenceNumber', row.licenceNumber);
    if (row.kind !== CAPTURE_EVIDENCE) shaped(item, receiver, 'ClueEvidence', 'observedAt', 'observedAt', row.observedAt);
    if (row.plateNumber) {
      shaped(item, receiver, 'Vehicle', 'plateNumber', 'plateNumber', row.plateNumber);
      shaped(item, receiver, 'Vehicle', 'plateColor', 'plateColor', row.plateColor);
    }
    if (row.caseNumber) shaped(item, receiver, 'EnforcementCase', 'caseNumber', 'caseNumber', row.caseNumber);
    sharedEvidence.push(item);
  }
  return { clue: sharedClue, evidence: sharedEvidence, withheld, shapedBy: receiver.id };
}
