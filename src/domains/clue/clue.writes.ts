import { inTransaction } from '../../db/transaction';
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EffectAudit } from '../../audit/effect-audit';
import { ErrorCode } from '../../errors';
import { ClueAction, ClueStatus, type ClueDismissalReason } from './clue-codes';
import { transitionOf } from './clue-transitions';
import { ClueWorkflowError } from './clue.errors';
import type { StoredCondition } from '../../read-kit/rows/row-scope-data';

/** The clue as the acting officer may see it, read for the decision: what the change is checked against. */
export interface ClueState {
  id: string;
  status: ClueStatus;
  version: number;
  division: string;
}

/** Who acts: the officer's agency and token subject. */
export interface ClueActor {
  agency: string;
  subject: string;
}

/** One requested change of a clue, with what its action records. */
export type ClueRequest =
  | { action: ClueAction.ASSIGN; assignedTo: string }
  | { action: ClueAction.VERIFY; finding: string }
  | { action: ClueAction.DISMISS; reason: ClueDismissalReason; note: string | null }
  | {
      action: ClueAction.LINK;
      caseNumber: string;
      /**
       * The linker's row scope on cases, as data (`RowReads.scopeData`); null when they see every
       * case. A pending link is confirmed only by a case arriving inside it.
       */
      caseScope: StoredCondition[][] | null;
    };

/**
 * The write side of the clue workflow. A change is checked against the state machine
 * (`CLUE_TRANSITIONS`) before anything is written; then, in one transaction, the request's audit
 * event, the clue's new status (only if the clue is still at the version and status it was read
 * at: a concurrent change, or the derivation withdrawing it, makes it CONFLICT) and its event.
 * A refusal at any point rolls all of it back.
 */
export class ClueWorkflow {
  constructor(
    private readonly pool: Pool,
    /** Told after each change commits (risk grades count open clues); never awaited, never fails the change. */
    private readonly afterChange: () => void = () => undefined,
  ) {}

  /**
   * Applies `change` and answers where it left the clue. `caseVisible` says whether the caller
   * may see a case (their own row scope): a LINK is confirmed at once only to such a case, so an
   * out-of-scope case and one that does not exist answer the same (LINKED_PENDING). It is asked
   * after the link lock is taken, so a case committed before it is seen, and one committed after
   * finds the pending link (migration `clue_workflow`).
   */
  async apply(
    clue: ClueState,
    change: ClueRequest,
    actor: ClueActor,
    audit: EffectAudit | null,
    caseVisible: (caseNumber: string) => Promise<boolean>,
  ): Promise<{ status: ClueStatus; version: number }> {
    const to = transitionOf(change.action, clue.status);
    if (to === null) {
      throw new ClueWorkflowError(ErrorCode.ILLEGAL_TRANSITION, `A ${clue.status} clue cannot be ${PAST[change.action]}`, {
        action: change.action,
        status: clue.status,
      });
    }
    const moved = await inTransaction(this.pool, async (client) => {
      // Before the audit's lock, so that a case batch this waits for does not hold up every audit append.
      if (change.action === ClueAction.LINK) await client.query('select lock_clue_case_links()');
      await audit?.appendWithin(client);
      let version = await this.move(client, clue, to, change);
      await this.record(client, clue.id, version, change, clue.status, to, actor);
      if (change.action === ClueAction.LINK && (await caseVisible(change.caseNumber))) {
        const confirmed = transitionOf(ClueAction.CONFIRM_LINK, to)!;
        version = await this.move(client, { ...clue, status: to, version }, confirmed, change);
        await this.record(client, clue.id, version, { action: ClueAction.CONFIRM_LINK, caseNumber: change.caseNumber }, to, confirmed, null);
        return { status: confirmed, version };
      }
      return { status: to, version };
    });
    audit?.committed();
    this.afterChange();
    return moved;
  }

  /** Moves the clue to `to` if it is still as read; returns its new version. */
  private async move(client: PoolClient, clue: ClueState, to: ClueStatus, change: ClueRequest): Promise<number> {
    const { rows } = await client.query<{ version: number }>(
      `update clue set status = $5, version = version + 1,
         assigned_to = coalesce($6, assigned_to), linked_case_number = coalesce($7, linked_case_number),
         linked_case_scope = case when $7::text is null then linked_case_scope else $8::jsonb end
       where id = $1 and version = $2 and status = $3 and division = $4 and deleted_at is null
       returning version`,
      [
        clue.id,
        clue.version,
        clue.status,
        clue.division,
        to,
        change.action === ClueAction.ASSIGN ? change.assignedTo : null,
        change.action === ClueAction.LINK ? change.caseNumber : null,
        change.action === ClueAction.LINK && change.caseScope !== null ? JSON.stringify(change.caseScope) : null,
      ],
    );
    if (rows.length === 0) {
      throw new ClueWorkflowError(ErrorCode.CONFLICT, `Clue ${clue.id} changed since it was read (version ${clue.version}); read it again`, {
        action: change.action,
        status: clue.status,
        version: clue.version,
      });
    }
    return rows[0].version;
  }

  private async record(
    client: PoolClient,
    clueId: string,
    version: number,
    change: ClueRequest | { action: ClueAction.CONFIRM_LINK; caseNumber: string },
    from: ClueStatus,
    to: ClueStatus,
    actor: ClueActor | null,
  ): Promise<void> {
    const assignedTo = change.action === ClueAction.ASSIGN ? change.assignedTo : null;
    const caseNumber = change.action === ClueAction.LINK || change.action === ClueAction.CONFIRM_LINK ? change.caseNumber : null;
    const reason = change.action === ClueAction.DISMISS ? change.reason : null;
    const note = change.action === ClueAction.VERIFY ? change.finding : change.action === ClueAction.DISMISS ? change.note : null;
    const values = [clueId, version, change.action, from, to, actor?.agency ?? null, actor?.subject ?? null, assignedTo, caseNumber, reason, note];
    await client.query(
      `insert into clue_event (clue_id, version, action, from_status, to_status, actor_agency, actor_subject, assigned_to, case_number,
         reason, note, at, provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now(), 'HUB', $12, now(), now(), $13)`,
      [...values, `${clueId}/${version}`, createHash('sha256').update(JSON.stringify(values)).digest('hex')],
    );
  }
}

/** How each action reads in a refusal ("cannot be dismissed"). */
const PAST: Record<ClueAction, string> = {
  [ClueAction.ASSIGN]: 'assigned',
  [ClueAction.VERIFY]: 'verified',
  [ClueAction.DISMISS]: 'dismissed',
  [ClueAction.LINK]: 'linked to a case',
  [ClueAction.CONFIRM_LINK]: 'confirmed as linked',
};
