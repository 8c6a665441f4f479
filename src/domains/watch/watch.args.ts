import { ArgsType, Field } from 'type-graphql';
import { PageArgs } from '../../read-kit/pagination';
import { watchOrderings, type WatchOrderName } from './watch.orderings';

@ArgsType()
export class WatchesArgs extends PageArgs {
  @Field({ defaultValue: false, description: 'Also list removed and expired watches.' })
  includeEnded!: boolean;

  @Field(() => watchOrderings.enum, { defaultValue: watchOrderings.enum.CREATED_DESC })
  orderBy!: WatchOrderName;
}
