import { ErrorCode, HubError } from '../../errors';
import type { TransferAction, TransferStatus } from './case-transfer-codes';

/** Why the transfer workflow refused an action; nothing was changed. */
export type TransferRefusal = ErrorCode.ILLEGAL_TRANSITION | ErrorCode.CONFLICT;

/**
 * A transfer action refused: the code says why, `action` and `status` (the transfer's, as read)
 * what it met; a submission with evidence missing names the items (`missingEvidence`).
 */
export class CaseTransferError extends HubError {
  constructor(
    readonly code: TransferRefusal,
    message: string,
    details: { action: TransferAction; status?: TransferStatus; missingEvidence?: string[]; [detail: string]: unknown },
  ) {
    super(message, details);
  }
}
