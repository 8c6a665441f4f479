import { Entity, PrimaryKey } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { RiskGradeLetter } from './risk-grade-codes';
import { Column, EnumColumn } from '../common/column';

/**
 * An enterprise's risk grade at the end of one month (the current month: as it stands). Written
 * by the grading with every change, and for every graded enterprise at the first grading of a
 * month, so a month without changes still has its row.
 */
@Entity({ tableName: 'enterprise_risk_grade_month' })
@ObjectType({ description: 'A risk grade as it stood at the end of a month (the current month: as it stands).', simpleResolvers: true })
export class RiskGradeSnapshot {
  @PrimaryKey({ type: 'text' })
  uscc!: string;

  @Column('date', Classification.INTERNAL, { primary: true, description: 'First day of the month (Beijing time).' })
  month!: string;

  @Column('text', Classification.INTERNAL, { description: 'GB/T 2260 division the enterprise was registered in.' })
  division!: string;

  @Column('integer', Classification.INTERNAL)
  score!: number;

  @EnumColumn(() => RiskGradeLetter, Classification.INTERNAL)
  grade!: RiskGradeLetter;

  @Column('text', Classification.INTERNAL)
  ruleVersion!: string;

  @Column('timestamptz', Classification.INTERNAL, { description: 'When that score was computed.' })
  computedAt!: Date;
}
