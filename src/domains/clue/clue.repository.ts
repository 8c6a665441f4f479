import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { Page } from '../../read-kit/pagination';
import type { ClueKind, ClueSeverity, ClueStatus } from './clue-codes';
import { ClueEvidence } from './clue-evidence.entity';
import { Clue } from './clue.entity';
import { clueOrderings, type ClueOrderName } from './clue.orderings';

export interface ClueFilter {
  kind?: ClueKind | null;
  status?: ClueStatus | null;
  division?: string | null;
  severity?: ClueSeverity | null;
  /** Clues with evidence seen in [from, to): their span overlaps it. */
  window?: { from: Date; to: Date } | null;
}

/** Queries over clues and their evidence. */
export class ClueRepository {
  constructor(private readonly scope: ReadScope) {}

  findByIds(ids: readonly string[]): Promise<Clue[]> {
    return this.scope.reads.byKeys(
      Clue,
      ['id'],
      ids.map((id) => [id]),
    );
  }

  findPage(filter: ClueFilter, order: ClueOrderName, first?: number | null, after?: string | null): Promise<Page<Clue>> {
    return this.scope.reads.page(
      Clue,
      {
        kind: filter.kind,
        status: filter.status,
        division: filter.division,
        severity: filter.severity,
        firstSeen: { lt: filter.window?.to },
        lastSeen: { gte: filter.window?.from },
      },
      { ordering: clueOrderings.ordering(order), first, after },
    );
  }

  /** The latest `limit` pieces of evidence of each clue, in one statement for all of them. */
  findEvidence(clueIds: readonly string[], limit: number): Promise<ClueEvidence[]> {
    return this.scope.reads.firstPerParent(ClueEvidence, {
      parentKeys: ['clueId'],
      parents: clueIds.map((id) => [id]),
      order: [
        ['observedAt', 'desc'],
        ['kind', 'asc'],
        ['ref', 'asc'],
      ],
      limit,
    });
  }
}
