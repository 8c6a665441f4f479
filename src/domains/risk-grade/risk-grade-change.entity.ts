import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { RiskGradeLetter } from './risk-grade-codes';

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
  @PrimaryKey({ type: 'bigint' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The change, unique in the hub; later changes have greater ids.' })
  id!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The enterprise’s unified social credit code.' })
  uscc!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'GB/T 2260 division the enterprise was registered in when graded (whose officers are told).' })
  division!: string;

  @Enum({ items: () => RiskGradeLetter, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => RiskGradeLetter, { nullable: true, description: 'The grade before; null when the enterprise was graded for the first time.' })
  oldGrade!: RiskGradeLetter | null;

  @Enum({ items: () => RiskGradeLetter, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => RiskGradeLetter, { nullable: true, description: 'The grade now; null when the enterprise is no longer graded (it holds no operator licence).' })
  newGrade!: RiskGradeLetter | null;

  @Property({ type: 'integer', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'The score the new grade rests on; null with the grade.' })
  score!: number | null;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The version of the rule file it was graded by.' })
  ruleVersion!: string;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'When the grading committed the change.' })
  changedAt!: Date;
}
