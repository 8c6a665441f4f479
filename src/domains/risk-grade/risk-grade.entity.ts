import { Entity, Index, Property } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { SyncedEntity } from '../common/synced-entity';
import type { RiskDeduction } from './risk-deduction';
import { RiskGradeLetter } from './risk-grade-codes';
import { Column, EnumColumn } from '../common/column';

/**
 * An operator enterprise's current risk grade (分类分级, 千分制): the hub's own record (provenance
 * system `HUB`), graded by `src/supervision/risk-grading.ts` from the rule file. Soft-deleted when
 * the enterprise stops being an operator (no licence left).
 */
@Entity({ tableName: 'enterprise_risk_grade' })
@Index({ properties: ['division'] })
@ObjectType({
  description: 'An operator enterprise’s risk grade (分类分级, 千分制), graded by the hub from explainable deductions.',
  simpleResolvers: true,
})
export class RiskGrade extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { primary: true, description: 'The enterprise’s unified social credit code.' })
  uscc!: string;

  @Column('text', Classification.INTERNAL, { description: 'GB/T 2260 division the enterprise is registered in (whose officers supervise it).' })
  division!: string;

  @Column('integer', Classification.INTERNAL, { description: 'Out of the rule file’s maximum (1000), after every deduction.' })
  score!: number;

  @EnumColumn(() => RiskGradeLetter, Classification.INTERNAL)
  grade!: RiskGradeLetter;

  @Column('text', Classification.INTERNAL, { description: 'The version of the rule file it was graded by.' })
  ruleVersion!: string;

  @Column('timestamptz', Classification.INTERNAL, {
    description: 'When it was last graded with a different result (a grading that finds the same score and deductions leaves it).',
  })
  computedAt!: Date;

  /** Every factor's deduction, points above zero only; read through the `deductions` relation, which shows each only where its facts are granted. */
  @Property({ type: 'json' })
  deductions!: RiskDeduction[];

  /** The records graded (licences, vehicles, cases, listings, clues as `L:`, `V:`, `C:`…): a change to one re-grades the enterprise, wherever it went. */
  @Property({ type: 'text[]' })
  cites!: string[];
}
