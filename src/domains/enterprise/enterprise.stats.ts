import { ArgsType, Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Tests } from '../../read-kit/fields/argument-tests';
import { AggregateSort } from '../../read-kit/aggregate/aggregate-result';
import { DEFAULT_CELLS } from '../../read-kit/aggregate/aggregate-args';
import type { AggregateDeclaration } from '../../read-kit/aggregate/aggregate-spec';
import type { AggregateGroup, FactAggregate } from '../../read-kit/rows/aggregate-query';
import { EnterpriseStatus } from '../common/enums';
import { Enterprise } from './enterprise.entity';

/** What enterprises can be grouped by. */
export enum EnterpriseGroupBy {
  DIVISION = 'DIVISION',
  STATUS = 'STATUS',
  CREDIT_GRADE = 'CREDIT_GRADE',
  RISK_GRADE = 'RISK_GRADE',
}

/** What can be measured of enterprises. */
export enum EnterpriseMeasure {
  COUNT = 'COUNT',
}

registerEnumType(EnterpriseGroupBy, {
  name: 'EnterpriseGroupBy',
  description:
    'DIVISION of the registration, registration STATUS, CREDIT_GRADE of the latest credit rating (NONE: unrated), RISK_GRADE the hub graded (NONE: not an operator).',
});
registerEnumType(EnterpriseMeasure, { name: 'EnterpriseMeasure', description: 'COUNT of enterprises.' });

/** An enterprise with no rating or grade is counted under this key. */
const NONE = 'NONE';

/**
 * Enterprises as they stand, counted in units of a division × status × credit grade × risk grade.
 * The grades are the enterprise's own (its latest live credit rating, its live risk grade): a
 * group-by on them reads `Enterprise.creditRatings` and `Enterprise.riskGrade`.
 */
export const enterpriseAggregate: FactAggregate<Enterprise> = {
  type: Enterprise,
  units: {
    division: { base: 'e.division_code' },
    status: { base: 'e.status' },
    credit: { base: (lookup) => lookup('credit') },
    risk: { base: (lookup) => lookup('risk') },
  },
  measures: {},
  lookups: {
    credit: {
      type: 'CreditRating',
      on: [['uscc', 'subjectUscc']],
      value: 'grade',
      order: [
        ['year', 'desc'],
        ['sourceId', 'desc'],
      ],
      otherwise: NONE,
    },
    risk: { type: 'RiskGrade', on: [['uscc', 'uscc']], value: 'grade', otherwise: NONE },
  },
  rollup: null,
};

export const ENTERPRISE_GROUPS: Record<EnterpriseGroupBy, AggregateGroup> = {
  DIVISION: { value: (u) => u('division') },
  STATUS: { value: (u) => u('status') },
  CREDIT_GRADE: { value: (u) => u('credit') },
  RISK_GRADE: { value: (u) => u('risk') },
};

/** What each group-by reads of an enterprise: checked against the agreement's aggregate grant before anything runs. */
export const ENTERPRISE_STATS_READS: AggregateDeclaration = {
  of: 'Enterprise',
  reads: {
    groupBy: { DIVISION: ['divisionCode'], STATUS: ['status'], CREDIT_GRADE: ['creditRatings'], RISK_GRADE: ['riskGrade'] },
    measures: { COUNT: [] },
  },
};

@InputType({ description: 'Which enterprises to count (all the caller’s when nothing is given).' })
export class EnterpriseStatsFilterInput {
  @Tests('Enterprise.divisionCode')
  @Field(() => String, { nullable: true, description: 'Registered in this division or under it (a prefix).' })
  divisionCode?: string | null;

  @Tests('Enterprise.status')
  @Field(() => EnterpriseStatus, { nullable: true })
  status?: EnterpriseStatus | null;
}

@ArgsType()
export class EnterpriseStatsArgs {
  @Field(() => EnterpriseStatsFilterInput, { defaultValue: {} })
  filter!: EnterpriseStatsFilterInput;

  @Field(() => [EnterpriseGroupBy], { defaultValue: [] })
  groupBy!: EnterpriseGroupBy[];

  @Field(() => [EnterpriseMeasure], { defaultValue: [EnterpriseMeasure.COUNT] })
  measures!: EnterpriseMeasure[];

  @Field(() => Int, { defaultValue: DEFAULT_CELLS, description: 'Most cells returned.' })
  first!: number;

  @Field(() => AggregateSort, { defaultValue: AggregateSort.KEYS })
  orderBy!: AggregateSort;
}
