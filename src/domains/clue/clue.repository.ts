import type { ReadScope } from '../../read-kit/rows/read-scope';
import type { Page } from '../../read-kit/pagination';
import { ClueKind, ClueStatus, type ClueSeverity } from './clue-codes';
import { ClueEvent } from './clue-event.entity';
import { ClueEvidence } from './clue-evidence.entity';
import { Clue } from './clue.entity';
import { clueOrderings, type ClueOrderName } from './clue.orderings';
import { unitReads, type AggregateAnswer } from '../../read-kit/rows/aggregate-query';
import { CLUE_GROUPS, CLUE_STATS_READS, clueAggregate, type ClueGroupBy } from './clue.stats';

const CLUE_UNIT_READS = unitReads(CLUE_GROUPS, CLUE_STATS_READS.reads.groupBy);

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

  /** The first `limit` status changes of each clue, oldest first, in one statement for all of them. */
  findHistory(clueIds: readonly string[], limit: number): Promise<ClueEvent[]> {
    return this.scope.reads.firstPerParent(ClueEvent, {
      parentKeys: ['clueId'],
      parents: clueIds.map((id) => [id]),
      order: [['version', 'asc']],
      limit,
    });
  }

  /**
   * How many live clues of the division there are of each kind in each status, in one statement
   * (every kind and status pair a parent; pairs without clues are left out). The caller's row
   * scope applies as to any read: an officer outside the division counts none.
   */
  async countByKindAndStatus(division: string): Promise<Array<{ kind: ClueKind; status: ClueStatus; count: number }>> {
    const pairs = Object.values(ClueKind).flatMap((kind) => Object.values(ClueStatus).map((status) => [kind, status] as const));
    const counts = await this.scope.reads.countPerParent(Clue, { parentKeys: ['kind', 'status'], parents: pairs, where: { division } });
    return counts.filter((c) => c.count > 0).map(({ parent: [kind, status], count }) => ({ kind: kind as ClueKind, status: status as ClueStatus, count }));
  }

  /** Clues whose window starts in [from, to) (dates) counted by `groupBy`, as `clueAggregate` defines units and suppression. */
  aggregate(
    filter: { from: string; to: string; divisionCode: string | null; kind: ClueKind | null },
    groupBy: readonly ClueGroupBy[],
    measures: readonly string[],
    options: { k: number; first: number; order: 'KEYS' | 'COUNT_DESC' },
  ): Promise<AggregateAnswer> {
    return this.scope.reads.aggregate({
      fact: clueAggregate,
      where: { windowStart: { gte: filter.from, lt: filter.to }, division: { startsWith: filter.divisionCode }, kind: filter.kind },
      groups: groupBy.map((g) => CLUE_GROUPS[g]),
      unitReads: CLUE_UNIT_READS,
      measures,
      ...options,
    });
  }
}
