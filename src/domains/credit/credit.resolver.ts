import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Parent } from '../../graphql/parent.decorator';
import { Enterprise } from '../enterprise';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

@Resolver(() => Enterprise)
export class EnterpriseCreditResolver {
  @FieldResolver(() => [CreditRating], { description: 'Credit ratings, newest year first.' })
  creditRatings(@Parent() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<CreditRating[]> {
    return ctx.loaders.credit.ratingsBySubject.load(enterprise.uscc);
  }

  @FieldResolver(() => [CreditListEntry], { description: 'Credit list entries, newest first, including removed ones.' })
  creditListEntries(@Parent() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<CreditListEntry[]> {
    return ctx.loaders.credit.listEntriesBySubject.load(enterprise.uscc);
  }
}
