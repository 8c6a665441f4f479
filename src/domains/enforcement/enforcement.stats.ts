import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { EnforcementCase } from './enforcement-case.entity';
import { BEIJING_ZONE_SQL } from '../../read-kit/rows/time-key';

/** What cases can be grouped by. */
export enum CaseGroupBy {
  MONTH = 'MONTH',
  DIVISION = 'DIVISION',
  VIOLATION_CODE = 'VIOLATION_CODE',
}

/** What can be measured of cases. */
export enum CaseMeasure {
  COUNT = 'COUNT',
  SUM_FINE = 'SUM_FINE',
  TRANSFERRED = 'TRANSFERRED',
}

registerEnumType(CaseGroupBy, { name: 'CaseGroupBy', description: 'MONTH (Beijing time) the case occurred, DIVISION handling it, VIOLATION_CODE.' });
registerEnumType(CaseMeasure, {
  name: 'CaseMeasure',
  description: 'COUNT of cases; SUM_FINE: penalties decided, yuan; TRANSFERRED: cases handed to the police (两法衔接).',
});

/** Longest window of a case aggregate. */
export const MAX_CASE_WINDOW_DAYS = 731;

/**
 * Cases are counted in units of a month × handling division × violation code, from the rollup
 * (per day × division × code, and whether transferred to the police: the police's row scope)
 * when it can, else from the cases themselves.
 */
export const caseAggregate: FactAggregate<EnforcementCase> = {
  type: EnforcementCase,
  units: {
    month: {
      base: `date_trunc('month', e.occurred_at at time zone ${BEIJING_ZONE_SQL})`,
      rollup: `date_trunc('month', r.day_start at time zone ${BEIJING_ZONE_SQL})`,
    },
    division: { base: 'e.division_code', rollup: 'r.division_code' },
    code: { base: 'e.violation_code', rollup: 'r.violation_code' },
  },
  measures: {
    SUM_FINE: { base: 'coalesce(sum(e.penalty_amount_yuan), 0)', rollup: 'r.fines_yuan', combine: 'sum' },
    TRANSFERRED: {
      base: 'count(*) filter (where e.transferred_to_police)',
      rollup: 'case when r.transferred_to_police then r.cases else 0 end',
      combine: 'sum',
    },
  },
  rollup: {
    table: 'case_rollup',
    count: 'cases',
    properties: { occurredAt: 'day_start', divisionCode: 'division_code', violationCode: 'violation_code', transferredToPolice: 'transferred_to_police' },
  },
};

/** Each group-by as SQL over the units. */
export const CASE_GROUPS: Record<CaseGroupBy, AggregateGroup> = {
  MONTH: { value: (u) => u('month'), time: { unit: 'month', of: 'beijing' } },
  DIVISION: { value: (u) => u('division') },
  VIOLATION_CODE: { value: (u) => u('code') },
};

/** What each group-by and measure reads of a case: checked against the agreement's aggregate grant before anything runs. */
export const CASE_STATS_READS: AggregateDeclaration = {
  of: 'EnforcementCase',
  reads: {
    groupBy: { MONTH: ['occurredAt'], DIVISION: ['divisionCode'], VIOLATION_CODE: ['violationCode'] },
    measures: { COUNT: [], SUM_FINE: ['penaltyAmountYuan'], TRANSFERRED: ['transferredToPolice'] },
  },
};

@InputType({ description: `Cases in a window [from, to) of whole months (Beijing time), at most ${MAX_CASE_WINDOW_DAYS} days.` })
export class CaseStatsFilterInput {
  @Tests('EnforcementCase.occurredAt')
  @Field(() => Date)
  from!: Date;

  @Tests('EnforcementCase.occurredAt')
  @Field(() => Date)
  to!: Date;

  @Tests('EnforcementCase.divisionCode')
  @Field(() => String, { nullable: true, description: 'Handled in this division or under it (a prefix: 3205 the city, 320505 a district).' })
  divisionCode?: string | null;

  @Tests('EnforcementCase.violationCode')
  @Field(() => String, { nullable: true })
  violationCode?: string | null;
}

@ArgsType()
export class CaseStatsArgs {
  @Field(() => CaseStatsFilterInput)
  filter!: CaseStatsFilterInput;

  @Field(() => [CaseGroupBy], { defaultValue: [] })
  groupBy!: CaseGroupBy[];

  @Field(() => [CaseMeasure], { defaultValue: [CaseMeasure.COUNT] })
  measures!: CaseMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
