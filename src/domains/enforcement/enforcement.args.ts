import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, InputType } from 'type-graphql';
import { CaseStatus, PlateColor } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { enforcementCaseOrderings, type EnforcementCaseOrderName } from './enforcement.orderings';

@InputType({ description: 'Conditions a case must all meet. Time windows are half-open: [from, to).' })
export class EnforcementCaseFilterInput {
  @Tests('EnforcementCase.divisionCode')
  @Field(() => String, { nullable: true })
  divisionCode?: string | null;

  @Tests('EnforcementCase.status')
  @Field(() => CaseStatus, { nullable: true })
  status?: CaseStatus | null;

  @Tests('EnforcementCase.partyUscc')
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the enterprise party.' })
  partyUscc?: string | null;

  @Tests('EnforcementCase.vehiclePlateNumber')
  @Field(() => String, { nullable: true })
  plateNumber?: string | null;

  @Tests('EnforcementCase.vehiclePlateColor')
  @Field(() => PlateColor, { nullable: true })
  plateColor?: PlateColor | null;

  @Tests('EnforcementCase.occurredAt')
  @Field(() => Date, { nullable: true })
  occurredFrom?: Date | null;

  @Tests('EnforcementCase.occurredAt')
  @Field(() => Date, { nullable: true })
  occurredTo?: Date | null;

  @Tests('EnforcementCase.decidedAt')
  @Field(() => Date, { nullable: true, description: 'Penalty decided at or after this instant (closed cases included).' })
  decidedFrom?: Date | null;

  @Tests('EnforcementCase.decidedAt')
  @Field(() => Date, { nullable: true, description: 'Penalty decided before this instant.' })
  decidedTo?: Date | null;

  @Tests('EnforcementCase.transferredToPolice')
  @Field(() => Boolean, { nullable: true, description: 'Handed to the police (两法衔接) or not.' })
  transferredToPolice?: boolean | null;
}

@ArgsType()
export class EnforcementCasesArgs extends PageArgs {
  @Field(() => EnforcementCaseFilterInput, { nullable: true })
  filter?: EnforcementCaseFilterInput | null;

  @Field(() => enforcementCaseOrderings.enum, { defaultValue: enforcementCaseOrderings.enum.OCCURRED_AT_DESC })
  orderBy!: EnforcementCaseOrderName;
}
