import { AccessDeniedError, ErrorCode } from '../errors';
import type { Viewer } from '../read-kit/request-context';
import { expired, inForce, type AccessPolicy } from './access-grant';
import { QUEUE_BOARD_GATE, type Agreement, type QueueAction } from './agreements';

/** What one caller may do on the queue dashboard, and the agreement that says so. */
export interface QueueBoardGrant {
  agreement: Agreement;
  /** Empty: the caller only looks. */
  actions: ReadonlySet<QueueAction>;
}

const gateOf = (agreement: Agreement) => agreement.fields.get(QUEUE_BOARD_GATE.type)?.has(QUEUE_BOARD_GATE.field) ?? false;

/**
 * The dashboard's grant: the caller's agreement in force that grants the gate (`triggerSync`), as
 * the mutation would be judged, and the queue actions it grants. A browser declares no purpose,
 * so the gate chooses the agreement; a caller two of whose agreements grant it is refused rather
 * than judged under either. Throws `AccessDeniedError`, coded as a GraphQL request's would be.
 */
export function queueBoardGrant(policy: AccessPolicy, viewer: Viewer, now: Date): QueueBoardGrant {
  const covering = policy.agreementsOf(viewer);
  const gate = `${QUEUE_BOARD_GATE.type}.${QUEUE_BOARD_GATE.field}`;
  if (covering.length === 0) {
    throw new AccessDeniedError(ErrorCode.NO_AGREEMENT, `No data-sharing agreement covers ${viewer.agency} (${viewer.roles.join(', ')})`, {
      agency: viewer.agency,
      roles: viewer.roles,
    });
  }
  const opening = covering.filter(gateOf);
  if (opening.length === 0) {
    throw new AccessDeniedError(ErrorCode.FORBIDDEN, `The queue dashboard is for callers whose agreement grants ${gate}`, { deniedPaths: [gate] });
  }
  const valid = opening.filter((agreement) => inForce(agreement, now));
  if (valid.length === 0) throw expired(opening.reduce((a, b) => (a.validUntil > b.validUntil ? a : b)));
  if (valid.length > 1) {
    const candidates = valid.map((a) => a.id);
    throw new AccessDeniedError(
      ErrorCode.AGREEMENT_AMBIGUOUS,
      `${candidates.length} agreements grant ${gate} (${candidates.join(', ')}); use a token with one role`,
      {
        candidates,
      },
    );
  }
  return { agreement: valid[0], actions: valid[0].queueActions };
}
