import { createHash, randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import type { EffectAudit } from '../../audit/effect-audit';
import { inTransaction } from '../../db/transaction';
import { ErrorCode } from '../../errors';
import { TransferAction, TransferDecision, TransferStatus } from './case-transfer-codes';
import { allowedFrom, nextStatus } from './case-transfer-transitions';
import type { CaseTransferChange } from './case-transfer-change';
import { CaseTransferError } from './case-transfer.errors';
import type { CrimeCatalogue, CrimeCatalogueEntry } from './crime-catalogue';

/** Who acts: the officer's agency and token subject. */
export interface TransferActor {
  agency: string;
  subject: string;
}

/** A transfer as the acting officer may see it, read for the decision: what the change is checked against. */
export interface TransferState {
  id: string;
  caseNumber: string;
  status: TransferStatus;
  version: number;
  violationCode: string;
}

/** The case a transfer is prepared for, as the caller may see it. */
export interface TransferableCase {
  caseNumber: string;
  violationCode: string;
  divisionCode: string;
}

/** One step a transfer is asked to take, with what it records. */
export type TransferRequest =
  | { action: TransferAction.ATTACH; evidenceCode: string; documentRef: string }
  | { action: TransferAction.INVITE }
  | { action: TransferAction.SUBMIT }
  | { action: TransferAction.ACKNOWLEDGE; receivingUnit: string }
  | { action: TransferAction.DECIDE; decision: TransferDecision; reason: string | null };

const PROVENANCE = `'HUB', $1, now(), now(), $2`;
const hashOf = (values: unknown[]) => createHash('sha256').update(JSON.stringify(values)).digest('hex');

/**
 * The write side of case transfers. Each change is one transaction holding the request's audit
 * event (appended first, as the clue workflow does), the transfer's new state (only if it is still
 * at the version and status it was read at: else CONFLICT) and its event, which the outbox
 * trigger announces. A refusal at any point rolls all of it back.
 */
export class CaseTransferWrites {
  constructor(
    private readonly pool: Pool,
    readonly catalogue: CrimeCatalogue,
  ) {}

  /** Opens a transfer of `kase` under its catalogue entry (checked by the caller); one per case. */
  async prepare(kase: TransferableCase, entry: CrimeCatalogueEntry, actor: TransferActor, audit: EffectAudit | null): Promise<CaseTransferChange> {
    const id = randomUUID();
    const change = await inTransaction(this.pool, async (client) => {
      await audit?.appendWithin(client);
      const values = [id, kase.caseNumber, entry.violationCode, entry.charge, this.catalogue.version, kase.divisionCode, this.catalogue.receivingAgency];
      const { rows } = await client.query<{ version: number }>(
        `insert into case_transfer (id, case_number, violation_code, charge, catalogue_version, division, receiving_agency, status, prepared_at,
           provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
         values ($3, $4, $5, $6, $7, $8, $9, 'PREPARED', now(), ${PROVENANCE})
         on conflict (case_number) do nothing returning version`,
        [id, hashOf(values), ...values],
      );
      if (rows.length === 0) {
        throw new CaseTransferError(ErrorCode.ILLEGAL_TRANSITION, `Case ${kase.caseNumber} has a transfer already`, { action: TransferAction.PREPARE });
      }
      await this.record(client, id, 1, TransferAction.PREPARE, null, TransferStatus.PREPARED, actor, null);
      return { transferId: id, caseNumber: kase.caseNumber, status: TransferStatus.PREPARED, version: 1 };
    });
    audit?.committed();
    return change;
  }

  /** Applies one step to a transfer read as `state`; answers where it left it. */
  async apply(state: TransferState, request: TransferRequest, actor: TransferActor, audit: EffectAudit | null): Promise<CaseTransferChange> {
    if (!allowedFrom(request.action, state.status)) {
      throw new CaseTransferError(ErrorCode.ILLEGAL_TRANSITION, `A ${state.status} transfer cannot be ${PAST[request.action]}`, {
        action: request.action,
        status: state.status,
      });
    }
    const change = await inTransaction(this.pool, async (client) => {
      await audit?.appendWithin(client);
      // Evidence only arrives with a version bump (ATTACH): if any came after this read, the update below finds another version: CONFLICT.
      if (request.action === TransferAction.SUBMIT) await this.requireEvidence(client, state);
      const to = this.target(state, request);
      const { rows } = await client.query<{ version: number }>(
        `update case_transfer set status = $3, version = version + 1, provenance_source_updated_at = now(),
           invited = invited or $4, invited_at = case when $4 and not invited then now() else invited_at end,
           submitted_at = case when $3 = 'SUBMITTED' and status <> 'SUBMITTED' then now() else submitted_at end,
           acknowledged_at = case when $3 = 'ACKNOWLEDGED' then now() else acknowledged_at end,
           receiving_unit = coalesce($5, receiving_unit),
           decided_at = case when $3 in ('FILED', 'NOT_FILED', 'RETURNED') then now() else decided_at end,
           decision_reason = case when $3 in ('FILED', 'NOT_FILED', 'RETURNED') then $6 else decision_reason end
         where id = $1 and version = $2 and status = $7 and deleted_at is null returning version`,
        [
          state.id,
          state.version,
          to,
          request.action === TransferAction.INVITE,
          request.action === TransferAction.ACKNOWLEDGE ? request.receivingUnit : null,
          request.action === TransferAction.DECIDE ? request.reason : null,
          state.status,
        ],
      );
      if (rows.length === 0) throw this.conflict(state, request.action);
      const version = rows[0].version;
      if (request.action === TransferAction.ATTACH) {
        const values = [state.id, request.evidenceCode, request.documentRef, actor.agency, actor.subject];
        await client.query(
          `insert into case_transfer_document (transfer_id, evidence_code, document_ref, attached_by_agency, attached_by_subject, attached_at,
             provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
           values ($3, $4, $5, $6, $7, now(), ${PROVENANCE})`,
          [`${state.id}/${version}`, hashOf(values), ...values],
        );
      }
      const note = request.action === TransferAction.ATTACH ? request.evidenceCode : request.action === TransferAction.DECIDE ? request.reason : null;
      await this.record(client, state.id, version, request.action, state.status, to, actor, note);
      return { transferId: state.id, caseNumber: state.caseNumber, status: to, version };
    });
    audit?.committed();
    return change;
  }

  /** The required evidence items of the transfer's entry with no document yet. */
  async missingEvidence(client: Pick<PoolClient, 'query'>, transferId: string, violationCode: string): Promise<string[]> {
    const entry = this.catalogue.entryOf(violationCode);
    const { rows } = await client.query<{ evidence_code: string }>(
      'select distinct evidence_code from case_transfer_document where transfer_id = $1 and deleted_at is null',
      [transferId],
    );
    const present = new Set(rows.map((r) => r.evidence_code));
    return (entry?.evidence ?? []).filter((e) => e.required && !present.has(e.code)).map((e) => e.code);
  }

  private async requireEvidence(client: PoolClient, state: TransferState): Promise<void> {
    const missing = await this.missingEvidence(client, state.id, state.violationCode);
    if (missing.length) {
      throw new CaseTransferError(ErrorCode.ILLEGAL_TRANSITION, `Transfer ${state.id} lacks required evidence: ${missing.join(', ')}`, {
        action: TransferAction.SUBMIT,
        status: state.status,
        missingEvidence: missing,
      });
    }
  }

  private target(state: TransferState, request: TransferRequest): TransferStatus {
    switch (request.action) {
      case TransferAction.ATTACH:
      case TransferAction.INVITE:
        return state.status;
      case TransferAction.SUBMIT:
      case TransferAction.ACKNOWLEDGE:
        return nextStatus(request.action, null);
      case TransferAction.DECIDE:
        return nextStatus(request.action, request.decision);
    }
  }

  private conflict(state: TransferState, action: TransferAction): CaseTransferError {
    return new CaseTransferError(ErrorCode.CONFLICT, `Transfer ${state.id} changed since it was read (version ${state.version}); read it again`, {
      action,
      status: state.status,
      version: state.version,
    });
  }

  private async record(
    client: PoolClient,
    transferId: string,
    version: number,
    action: TransferAction,
    from: TransferStatus | null,
    to: TransferStatus,
    actor: TransferActor | null,
    note: string | null,
  ): Promise<void> {
    const values = [transferId, version, action, from, to, actor?.agency ?? null, actor?.subject ?? null, note];
    await client.query(
      `insert into case_transfer_event (transfer_id, version, action, from_status, to_status, actor_agency, actor_subject, note, at,
         provenance_system, provenance_record_id, provenance_source_updated_at, provenance_synced_at, provenance_content_hash)
       values ($3, $4, $5, $6, $7, $8, $9, $10, now(), ${PROVENANCE})`,
      [`${transferId}/${version}/${action}`, hashOf(values), ...values],
    );
  }
}

/** How each action reads in a refusal ("cannot be acknowledged"). */
const PAST: Record<TransferAction, string> = {
  [TransferAction.PREPARE]: 'prepared',
  [TransferAction.ATTACH]: 'given more evidence',
  [TransferAction.INVITE]: 'opened to consultation',
  [TransferAction.SUBMIT]: 'submitted',
  [TransferAction.ACKNOWLEDGE]: 'acknowledged',
  [TransferAction.DECIDE]: 'decided',
  [TransferAction.OVERDUE]: 'overdue',
};
