import { ErrorCode, HubError } from '../../errors';
import type { ClueAction, ClueStatus } from './clue-codes';

/** Why the clue workflow refused an action; nothing was changed. */
export type ClueRefusal = ErrorCode.ILLEGAL_TRANSITION | ErrorCode.OUTSIDE_DIVISION | ErrorCode.CONFLICT;

/** A workflow action refused: the code says why, `action` and `status` (the clue's, as read) what it met. */
export class ClueWorkflowError extends HubError {
  constructor(
    readonly code: ClueRefusal,
    message: string,
    details: { action: ClueAction; status?: ClueStatus; [detail: string]: unknown },
  ) {
    super(message, details);
  }
}
