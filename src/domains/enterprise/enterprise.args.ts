import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { EnterpriseStatus, LicenceScope, LicenceStatus } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { enterpriseOrderings, type EnterpriseOrderName } from './enterprise.orderings';

@InputType({ description: 'Conditions an enterprise must all meet.' })
export class EnterpriseFilterInput {
  @Tests('Enterprise.divisionCode')
  @Field(() => String, { nullable: true, description: 'GB/T 2260 division code of the registration.' })
  divisionCode?: string | null;

  @Tests('Enterprise.status')
  @Field(() => EnterpriseStatus, { nullable: true })
  status?: EnterpriseStatus | null;

  @Tests('Enterprise.name')
  @Field(() => String, { nullable: true, description: 'Part of the registered name.' })
  nameContains?: string | null;

  @Tests('Enterprise.licences')
  @Field(() => LicenceScope, { nullable: true, description: 'Holds a licence with this business scope.' })
  licenceScope?: LicenceScope | null;

  @Tests('Enterprise.licences')
  @Field(() => LicenceStatus, {
    nullable: true,
    description: 'Holds a licence in this status (e.g. REVOKED: the licence revocations the credit platform publishes).',
  })
  licenceStatus?: LicenceStatus | null;
}

@ArgsType()
export class EnterprisesArgs extends PageArgs {
  @Field(() => EnterpriseFilterInput, { nullable: true })
  filter?: EnterpriseFilterInput | null;

  @Field(() => enterpriseOrderings.enum, { defaultValue: enterpriseOrderings.enum.NAME_ASC })
  orderBy!: EnterpriseOrderName;
}
