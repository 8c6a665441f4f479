import type { PoolClient } from 'pg';

/**
 * A mutation's audit event, written inside the transaction that makes the mutation's effect and
 * before it: the event and the effect commit together or not at all. The request's audit event
 * (`RequestAudit`) is it, and writes no second event once it has committed.
 */
export interface EffectAudit {
  /**
   * Appends the request's event on `client`, whose transaction is open; throws
   * `AuditUnavailableError` (effect `NONE`) when it cannot, and the caller must roll back.
   */
  appendWithin(client: PoolClient): Promise<void>;
  /** The transaction that holds the event committed. */
  committed(): void;
}
