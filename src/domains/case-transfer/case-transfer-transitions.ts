import { TransferAction, TransferDecision, TransferStatus } from './case-transfer-codes';

type Moving = TransferAction.SUBMIT | TransferAction.ACKNOWLEDGE | TransferAction.DECIDE;

/**
 * The transfer workflow's state machine, declared once: the statuses each action may start from.
 * A returned transfer may be submitted again once its evidence is complete; FILED and NOT_FILED
 * are final. Attaching evidence and inviting the police are open until the transfer is submitted
 * (or while it is returned); anything else is an illegal transition, refused with nothing changed.
 */
export const TRANSFER_TRANSITIONS: Readonly<Record<TransferAction, readonly TransferStatus[]>> = {
  [TransferAction.PREPARE]: [],
  [TransferAction.ATTACH]: [TransferStatus.PREPARED, TransferStatus.RETURNED],
  [TransferAction.INVITE]: [TransferStatus.PREPARED, TransferStatus.RETURNED],
  [TransferAction.SUBMIT]: [TransferStatus.PREPARED, TransferStatus.RETURNED],
  [TransferAction.ACKNOWLEDGE]: [TransferStatus.SUBMITTED],
  [TransferAction.DECIDE]: [TransferStatus.ACKNOWLEDGED],
  [TransferAction.OVERDUE]: [TransferStatus.PREPARED, TransferStatus.SUBMITTED, TransferStatus.ACKNOWLEDGED],
};

/** Where a moving action leads. */
export function nextStatus(action: Moving, decision: TransferDecision | null): TransferStatus {
  if (action === TransferAction.SUBMIT) return TransferStatus.SUBMITTED;
  if (action === TransferAction.ACKNOWLEDGE) return TransferStatus.ACKNOWLEDGED;
  if (decision === null) throw new Error('a decision leads where the decision says');
  return DECIDED[decision];
}

const DECIDED: Readonly<Record<TransferDecision, TransferStatus>> = {
  [TransferDecision.FILED]: TransferStatus.FILED,
  [TransferDecision.NOT_FILED]: TransferStatus.NOT_FILED,
  [TransferDecision.RETURNED]: TransferStatus.RETURNED,
};

export const allowedFrom = (action: TransferAction, status: TransferStatus): boolean => TRANSFER_TRANSITIONS[action].includes(status);
