import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Enterprise } from '../enterprise';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

@Resolver(() => Enterprise)
export class EnterpriseCreditResolver {
  @FieldResolver(() => [CreditRating], { description: 'Credit ratings, newest year first.' })
  creditRatings(@Root() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<CreditRating[]> {
    return ctx.loaders.credit.ratingsBySubject.load(enterprise.uscc);
  }

  @FieldResolver(() => [CreditListEntry], { description: 'Credit list entries, newest first, including removed ones.' })
  creditListEntries(@Root() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<CreditListEntry[]> {
    return ctx.loaders.credit.listEntriesBySubject.load(enterprise.uscc);
  }
}
