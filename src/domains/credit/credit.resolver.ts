import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { CreditLoaders } from './credit.loaders';
import type { EnterpriseLoaders } from '../enterprise';
import { registerPrefetch } from '../../read-kit/loaders/prefetch';
import { Parent } from '../../read-kit/fields/parent.decorator';
import { Enterprise } from '../enterprise';
import { CreditListEntry } from './credit-list-entry.entity';
import { CreditRating } from './credit-rating.entity';

/** What Credit's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type CreditContext = RequestContext<{ credit: CreditLoaders; enterprise: EnterpriseLoaders }>;

registerPrefetch<CreditContext>('Enterprise', 'creditRatings', (uscc, ctx) => ctx.loaders.credit.ratingsBySubject.load(uscc));
registerPrefetch<CreditContext>('Enterprise', 'creditListEntries', (uscc, ctx) => ctx.loaders.credit.listEntriesBySubject.load(uscc));

@Resolver(() => Enterprise)
export class EnterpriseCreditResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => [CreditRating], { description: 'Credit ratings, newest year first.' })
  creditRatings(@Parent() enterprise: Enterprise, @Ctx() ctx: CreditContext): Promise<CreditRating[]> {
    return ctx.loaders.credit.ratingsBySubject.load(enterprise.uscc);
  }

  @Classified(Classification.INTERNAL)
  @FieldResolver(() => [CreditListEntry], { description: 'Credit list entries, newest first, including removed ones.' })
  creditListEntries(@Parent() enterprise: Enterprise, @Ctx() ctx: CreditContext): Promise<CreditListEntry[]> {
    return ctx.loaders.credit.listEntriesBySubject.load(enterprise.uscc);
  }
}

@Resolver(() => CreditRating)
export class CreditRatingResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The rated enterprise, when the hub knows it.' })
  subject(@Parent() rating: CreditRating, @Ctx() ctx: CreditContext): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.byUscc.load(rating.subjectUscc);
  }
}

@Resolver(() => CreditListEntry)
export class CreditListEntryResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The listed enterprise, when the hub knows it.' })
  subject(@Parent() entry: CreditListEntry, @Ctx() ctx: CreditContext): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.byUscc.load(entry.subjectUscc);
  }
}
