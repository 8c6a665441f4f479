import type { Page } from '../../read-kit/pagination';
import type { ReadScope } from '../../read-kit/rows/read-scope';
import { EnforcementCase, enforcementCaseOrderings } from '../enforcement';
import type { TransferStatus } from './case-transfer-codes';
import { CaseTransfer, CaseTransferDocument, CaseTransferEvent } from './case-transfer.entity';
import { caseTransferOrderings, type CaseTransferOrderName } from './case-transfer.orderings';

/** Queries over case transfers, their documents and their history. */
export class CaseTransferRepository {
  constructor(private readonly scope: ReadScope) {}

  findByIds(ids: readonly string[]): Promise<CaseTransfer[]> {
    return this.scope.reads.byKeys(
      CaseTransfer,
      ['id'],
      ids.map((id) => [id]),
    );
  }

  findByCaseNumbers(caseNumbers: readonly string[]): Promise<CaseTransfer[]> {
    return this.scope.reads.byKeys(
      CaseTransfer,
      ['caseNumber'],
      caseNumbers.map((c) => [c]),
    );
  }

  findPage(
    filter: { status?: TransferStatus | null; division?: string | null },
    order: CaseTransferOrderName,
    first?: number | null,
    after?: string | null,
  ): Promise<Page<CaseTransfer>> {
    return this.scope.reads.page(
      CaseTransfer,
      { status: filter.status, division: { startsWith: filter.division } },
      { ordering: caseTransferOrderings.ordering(order), first, after },
    );
  }

  /** Every step of each transfer, oldest first, in one statement. */
  findHistory(transferIds: readonly string[]): Promise<CaseTransferEvent[]> {
    return this.scope.reads.byKeys(
      CaseTransferEvent,
      ['transferId'],
      transferIds.map((id) => [id]),
      [['id', 'asc']],
    );
  }

  /** The documents of each (transfer, evidence item), in the order attached, in one statement. */
  findDocuments(items: ReadonlyArray<{ transferId: string; evidenceCode: string }>): Promise<CaseTransferDocument[]> {
    return this.scope.reads.byKeys(
      CaseTransferDocument,
      ['transferId', 'evidenceCode'],
      items.map((i) => [i.transferId, i.evidenceCode]),
      [['id', 'asc']],
    );
  }
}

/** How many cases of one catalogue entry the untransferred view reads at most. */
export const MAX_UNTRANSFERRED = 200;

/**
 * 有案不移: the cases of a catalogue entry at or above its threshold, not flagged as transferred
 * by the transport system, that occurred before `dueBefore`, oldest first, as the caller may see
 * them (its row scope applies). Transfers recorded in the hub are left out by the caller.
 */
export function findUntransferredCases(
  scope: ReadScope,
  entry: { violationCode: string; minPenaltyYuan: number },
  dueBefore: Date,
  first: number,
): Promise<Page<EnforcementCase>> {
  return scope.reads.page(
    EnforcementCase,
    {
      violationCode: entry.violationCode,
      // A threshold of 0 takes cases whose penalty is not decided yet too (as the clue rule does).
      penaltyAmountYuan: entry.minPenaltyYuan > 0 ? { gte: entry.minPenaltyYuan } : null,
      transferredToPolice: false,
      occurredAt: { lt: dueBefore },
    },
    { ordering: enforcementCaseOrderings.ordering('OCCURRED_AT_ASC'), first: Math.min(first, MAX_UNTRANSFERRED) },
  );
}
