import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType, registerEnumType } from 'type-graphql';
import { PractitionerStatus, QualificationCategory } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';

export enum PractitionerOrder {
  RECORD_HASH = 'RECORD_HASH',
  CERTIFICATE_NUMBER_ASC = 'CERTIFICATE_NUMBER_ASC',
}
registerEnumType(PractitionerOrder, {
  name: 'PractitionerOrder',
  valuesConfig: {
    RECORD_HASH: { description: 'By a hash of each record: stable from page to page, and following no field, so open to callers who see identifiers masked.' },
    CERTIFICATE_NUMBER_ASC: { description: 'By certificate number, then ID number: only for callers granted both in full.' },
  },
});

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

  @Field(() => PractitionerOrder, { defaultValue: PractitionerOrder.RECORD_HASH })
  orderBy!: PractitionerOrder;
}
