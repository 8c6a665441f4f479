import type { Viewer } from '../read-kit/request-context';
import type { AuditEventContent } from './audit-event';

/** Prefix of the operation name of every queue dashboard event (`queueBoard GET /api/queues`). */
export const QUEUE_BOARD_OPERATION = 'queueBoard';

/**
 * Where an action stands when its event is written: `REQUESTED` before it runs (no effect
 * without this event), then `MADE`, `NONE` (refused by the queue, e.g. a job not in a state to
 * retry) or `UNKNOWN` (it failed or timed out midway).
 */
export type QueueActionEffect = 'REQUESTED' | 'MADE' | 'NONE' | 'UNKNOWN';

/** One queue dashboard request of a verified caller: what it asked of which queue and job, and how it ended. */
export interface QueueBoardFacts {
  viewer: Pick<Viewer, 'agency' | 'subject' | 'roles' | 'tokenId'>;
  /** The agreement that opens the dashboard to the caller; null when none does (refused). */
  agreement: string | null;
  /** The dashboard's route, e.g. `PUT /api/queues/:queueName/:jobId/retry`. */
  route: string;
  /** Which queue, job, status or page: route and query parameters, never a job's data. */
  target: Record<string, string>;
  /** For an action: what it granted (`retry`…) and where it stands. */
  action?: { name: string; effect: QueueActionEffect };
  outcome: AuditEventContent['outcome'];
  refusal?: string | null;
  durationMs: number;
}

/** The event of a queue dashboard request: chained like a GraphQL request's, with the route for an operation name. */
export function queueBoardEvent(facts: QueueBoardFacts): AuditEventContent {
  return {
    agency: facts.viewer.agency,
    subject: facts.viewer.subject,
    roles: facts.viewer.roles,
    agreement: facts.agreement,
    purpose: null,
    caseNumber: null,
    operationName: `${QUEUE_BOARD_OPERATION} ${facts.route}`,
    documentHash: '',
    variables: { ...facts.target, ...(facts.action ? { action: facts.action.name, effect: facts.action.effect } : {}) },
    fieldsReturned: {},
    sources: {},
    refusal: facts.refusal ?? null,
    outcome: facts.outcome,
    durationMs: facts.durationMs,
    ...(facts.viewer.tokenId ? { tokenId: facts.viewer.tokenId } : {}),
  };
}
