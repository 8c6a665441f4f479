import { ErrorCode, HubError } from '../../errors';

/** Why a cooperation action was refused; nothing was changed. */
export type CooperationRefusal = ErrorCode.ILLEGAL_TRANSITION | ErrorCode.FORBIDDEN;

/** A cooperation action refused: the code says why, `action` what was tried. */
export class CooperationError extends HubError {
  constructor(
    readonly code: CooperationRefusal,
    message: string,
    details: { action: string; [detail: string]: unknown },
  ) {
    super(message, details);
  }
}
