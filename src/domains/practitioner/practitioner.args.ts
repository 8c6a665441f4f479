import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { PractitionerStatus, QualificationCategory } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { practitionerOrderings, type PractitionerOrderName } from './practitioner.orderings';

@InputType({ description: 'Conditions a practitioner must all meet.' })
export class PractitionerFilterInput {
  @Tests('Practitioner.employerUscc')
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the employer.' })
  employerUscc?: string | null;

  @Tests('Practitioner.qualificationCategory')
  @Field(() => QualificationCategory, { nullable: true })
  qualificationCategory?: QualificationCategory | null;

  @Tests('Practitioner.status')
  @Field(() => PractitionerStatus, { nullable: true })
  status?: PractitionerStatus | null;
}

@ArgsType()
export class PractitionersArgs extends PageArgs {
  @Field(() => PractitionerFilterInput, { nullable: true })
  filter?: PractitionerFilterInput | null;

  @Field(() => practitionerOrderings.enum, { defaultValue: practitionerOrderings.enum.RECORD_HASH })
  orderBy!: PractitionerOrderName;
}
