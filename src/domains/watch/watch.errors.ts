import { ErrorCode, HubError } from '../../errors';

/** Why a watch was refused; nothing was changed. */
export type WatchRefusal = ErrorCode.CASE_REQUIRED | ErrorCode.ILLEGAL_TRANSITION;

/** A watch mutation refused: the code says why, `action` what was tried. */
export class WatchError extends HubError {
  constructor(
    readonly code: WatchRefusal,
    message: string,
    details: { action: 'ADD' | 'REMOVE'; [detail: string]: unknown },
  ) {
    super(message, details);
  }
}
