import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { LocalDate } from '../common/scalars';
import { RiskGradeLetter } from './risk-grade-codes';

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

  @PrimaryKey({ type: 'date' })
  @Classified(Classification.INTERNAL)
  @Field(() => LocalDate, { description: 'First day of the month (Beijing time).' })
  month!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'GB/T 2260 division the enterprise was registered in.' })
  division!: string;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  score!: number;

  @Enum({ items: () => RiskGradeLetter })
  @Classified(Classification.INTERNAL)
  @Field(() => RiskGradeLetter)
  grade!: RiskGradeLetter;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  ruleVersion!: string;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'When that score was computed.' })
  computedAt!: Date;
}
