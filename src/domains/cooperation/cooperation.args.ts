import { ArgsType, Field } from 'type-graphql';
import { PageArgs } from '../../read-kit/pagination';
import { CooperationDirection, CooperationKind, DeliveryStatus } from './cooperation-codes';

@ArgsType()
export class CooperationMessagesArgs extends PageArgs {
  @Field(() => CooperationDirection, { nullable: true, description: 'OUTBOUND: the outbox; INBOUND: the inbox; none: both.' })
  direction?: CooperationDirection | null;

  @Field(() => DeliveryStatus, { nullable: true })
  status?: DeliveryStatus | null;

  @Field(() => CooperationKind, { nullable: true })
  kind?: CooperationKind | null;
}

@ArgsType()
export class CooperationPageArgs extends PageArgs {}

@ArgsType()
export class RecognisedCreditDecisionsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only decisions about this unified social credit code.' })
  creditCode?: string | null;
}

@ArgsType()
export class RecognisedInspectionResultsArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only results about this unified social credit code.' })
  uscc?: string | null;
}
