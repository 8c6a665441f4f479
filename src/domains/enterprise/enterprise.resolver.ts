import { Args, Ctx, Query, Resolver, Arg } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnterpriseLoaders } from './enterprise.loaders';
import { prefetchRelations } from '../../read-kit/relations';
import { connectionType } from '../../read-kit/pagination';
import { optionalDivision, optionalText, requireUscc } from '../../read-kit/arguments/identifier-args';
import { EnterprisesArgs } from './enterprise.args';
import { Enterprise } from './enterprise.entity';
import { EnterpriseRepository } from './enterprise.repository';

/** What Enterprise's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type EnterpriseContext = RequestContext<{ enterprise: EnterpriseLoaders }>;

export const EnterpriseConnection = connectionType(Enterprise, 'Enterprise');

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => Enterprise, { nullable: true, description: 'One enterprise by unified social credit code; null when unknown.' })
  enterprise(@Arg('uscc') uscc: string, @Ctx() ctx: EnterpriseContext): Promise<Enterprise | null> {
    const key = requireUscc('uscc', uscc);
    prefetchRelations(ctx, Enterprise, { uscc: key });
    return ctx.loaders.enterprise.byUscc.load(key);
  }

  @Classified(Classification.PUBLIC)
  @Query(() => EnterpriseConnection, { description: 'Enterprises, filtered and ordered, a page at a time.' })
  enterprises(@Args() args: EnterprisesArgs, @Ctx() ctx: EnterpriseContext) {
    const filter = args.filter ?? {};
    return new EnterpriseRepository(ctx).findPage(
      {
        ...filter,
        divisionCode: optionalDivision('filter.divisionCode', filter.divisionCode),
        nameContains: optionalText('filter.nameContains', filter.nameContains),
      },
      args.orderBy,
      args.first,
      args.after,
    );
  }
}
