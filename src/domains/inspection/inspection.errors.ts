import { ErrorCode, HubError } from '../../errors';

/** Why an inspection action was refused; nothing was changed. */
export type InspectionRefusal = ErrorCode.DRAW_REFUSED | ErrorCode.NOT_ASSIGNED | ErrorCode.ILLEGAL_TRANSITION | ErrorCode.OUTSIDE_DIVISION;

/** Why a draw was refused (`extensions.reason`). */
export type DrawRefusalReason = 'EMPTY_ROSTER' | 'ALREADY_DRAWN' | 'BEACON_PENDING' | 'TOO_FEW_INSPECTORS' | 'PLAN_SPLIT';

/** An inspection action refused: the code says why, `action` what was tried. */
export class InspectionError extends HubError {
  constructor(
    readonly code: InspectionRefusal,
    message: string,
    details: { action: string; reason?: DrawRefusalReason; [detail: string]: unknown },
  ) {
    super(message, details);
  }
}

/**
 * A list the hub reads whole (the inspector roster, a year's plans) holds more rows than it reads
 * whole: refused with how many that is (`max`), never answered cut short.
 */
export class WholeListLimitError extends HubError {
  readonly code = ErrorCode.QUERY_LIMIT_EXCEEDED;

  constructor(list: string, max: number) {
    super(`The ${list} hold more than ${max} rows, more than is read whole`, { limit: 'wholeList', list, max });
  }
}
