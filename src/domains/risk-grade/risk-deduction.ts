import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { RiskFactor } from './risk-grade-codes';

/** Points one factor took off an enterprise's score, and how many records it rests on. Stored with the grade (`deductions`, JSON). */
@ObjectType({ description: 'Points one factor took off a risk score, and how many records it rests on.', simpleResolvers: true })
export class RiskDeduction {
  @Classified(Classification.INTERNAL)
  @Field(() => RiskFactor)
  factor!: RiskFactor;

  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Points taken off, after the factor’s cap.' })
  points!: number;

  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'How many records (cases, weighings, listings, clues…) the deduction rests on.' })
  evidenceCount!: number;
}
