import { Entity, Index } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { RiskGradeLetter } from './risk-grade-codes';
import { Column, EnumColumn } from '../common/column';

/**
 * One change of an enterprise's risk grade, as the grading appended it to its append-only log
 * (`enterprise_risk_grade_change`, migration 20261221000000_risk_grades), delivered live through
 * `Subscription.riskGradeChanged`. Read through the gateway like the grade itself, so the same
 * row scope (the enterprise's division) and field grants apply.
 */
@Entity({ tableName: 'enterprise_risk_grade_change' })
@Index({ properties: ['uscc', 'id'] })
@ObjectType({ description: 'A change of an enterprise’s risk grade (分类分级), as the grading logged it.', simpleResolvers: true })
export class RiskGradeChange {
  @Column('bigint', Classification.INTERNAL, { primary: true, description: 'The change, unique in the hub; later changes have greater ids.' })
  id!: string;

  @Column('text', Classification.INTERNAL, { description: 'The enterprise’s unified social credit code.' })
  uscc!: string;

  @Column('text', Classification.INTERNAL, { description: 'GB/T 2260 division the enterprise was registered in when graded (whose officers are told).' })
  division!: string;

  @EnumColumn(() => RiskGradeLetter, Classification.INTERNAL, {
    nullable: true,
    description: 'The grade before; null when the enterprise was graded for the first time.',
  })
  oldGrade!: RiskGradeLetter | null;

  @EnumColumn(() => RiskGradeLetter, Classification.INTERNAL, {
    nullable: true,
    description: 'The grade now; null when the enterprise is no longer graded (it holds no operator licence).',
  })
  newGrade!: RiskGradeLetter | null;

  @Column('integer', Classification.INTERNAL, { nullable: true, description: 'The score the new grade rests on; null with the grade.' })
  score!: number | null;

  @Column('text', Classification.INTERNAL, { description: 'The version of the rule file it was graded by.' })
  ruleVersion!: string;

  @Column('timestamptz', Classification.INTERNAL, { description: 'When the grading committed the change.' })
  changedAt!: Date;
}
