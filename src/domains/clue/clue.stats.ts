import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { ClueKind } from './clue-codes';
import { Clue } from './clue.entity';

/** What clues can be grouped by. */
export enum ClueGroupBy {
  MONTH = 'MONTH',
  DIVISION = 'DIVISION',
  KIND = 'KIND',
  STATUS = 'STATUS',
}

/** What can be measured of clues. */
export enum ClueMeasure {
  COUNT = 'COUNT',
  CLOSED = 'CLOSED',
  MEAN_HANDLING_HOURS = 'MEAN_HANDLING_HOURS',
}

registerEnumType(ClueGroupBy, {
  name: 'ClueGroupBy',
  description: "MONTH of the rule's window the evidence falls in (Beijing time), DIVISION that must act on it, KIND of clue, its STATUS now.",
});
registerEnumType(ClueMeasure, {
  name: 'ClueMeasure',
  description:
    'COUNT of clues; CLOSED: dismissed or linked to a case (handled); MEAN_HANDLING_HOURS: from raised to closed, over the closed ones (null when none).',
});

/** A measure computed for MEAN_HANDLING_HOURS, never asked for by name: hours from raised to closed, summed. */
export const HANDLING_HOURS = 'HANDLING_HOURS';

/** The statuses a clue is closed in. */
const CLOSED = "('DISMISSED', 'LINKED')";

/** Longest window of a clue aggregate. */
export const MAX_CLUE_STATS_WINDOW_DAYS = 731;

/**
 * Clues are counted in units of a month × division × kind × status: every key a query groups or
 * filters by is one of them, so its cells are sums of whole units. No rollup: clues are few.
 */
export const clueAggregate: FactAggregate<Clue> = {
  type: Clue,
  units: {
    month: { base: "date_trunc('month', e.window_start::timestamp)" },
    division: { base: 'e.division' },
    kind: { base: 'e.kind' },
    status: { base: 'e.status' },
  },
  measures: {
    CLOSED: { base: `count(*) filter (where e.status in ${CLOSED})`, rollup: null, combine: 'sum' },
    // Hours from raised to the change that closed it (the last into its closed status); summed, and divided by CLOSED per cell.
    [HANDLING_HOURS]: {
      base: (lookup) => `coalesce(sum(extract(epoch from ${lookup('closedAt')} - e.raised_at) / 3600) filter (where e.status in ${CLOSED}), 0)`,
      rollup: null,
      combine: 'sum',
    },
  },
  lookups: {
    // When it was closed: the last change into the status it is in.
    closedAt: {
      type: 'ClueEvent',
      on: [
        ['id', 'clueId'],
        ['status', 'toStatus'],
      ],
      value: 'at',
      order: [['at', 'desc']],
      otherwise: null,
    },
  },
  rollup: null,
};

export const CLUE_GROUPS: Record<ClueGroupBy, AggregateGroup> = {
  MONTH: { value: (u) => u('month'), time: { unit: 'month', of: 'beijing' } },
  DIVISION: { value: (u) => u('division') },
  KIND: { value: (u) => u('kind') },
  STATUS: { value: (u) => u('status') },
};

/** What each group-by and measure reads of a clue: checked against the agreement's aggregate grant before anything runs. */
export const CLUE_STATS_READS: AggregateDeclaration = {
  of: 'Clue',
  reads: {
    groupBy: { MONTH: ['windowStart'], DIVISION: ['division'], KIND: ['kind'], STATUS: ['status'] },
    measures: { COUNT: [], CLOSED: ['status'], MEAN_HANDLING_HOURS: ['status', 'history'] },
  },
};

@InputType({ description: `Clues whose window starts in [from, to), whole months (Beijing time), at most ${MAX_CLUE_STATS_WINDOW_DAYS} days.` })
export class ClueStatsFilterInput {
  @Tests('Clue.windowStart')
  @Field(() => Date)
  from!: Date;

  @Tests('Clue.windowStart')
  @Field(() => Date)
  to!: Date;

  @Tests('Clue.division')
  @Field(() => String, { nullable: true, description: 'To be acted on in this division or under it (a prefix).' })
  divisionCode?: string | null;

  @Tests('Clue.kind')
  @Field(() => ClueKind, { nullable: true })
  kind?: ClueKind | null;
}

@ArgsType()
export class ClueStatsArgs {
  @Field(() => ClueStatsFilterInput)
  filter!: ClueStatsFilterInput;

  @Field(() => [ClueGroupBy], { defaultValue: [] })
  groupBy!: ClueGroupBy[];

  @Field(() => [ClueMeasure], { defaultValue: [ClueMeasure.COUNT] })
  measures!: ClueMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
