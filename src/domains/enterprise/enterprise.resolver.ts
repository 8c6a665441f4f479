import { Args, Ctx, FieldResolver, Query, Resolver, Arg } from 'type-graphql';
import { Classification, Classified } from '../../graphql/classification';
import type { HubContext } from '../../graphql/context';
import { prefetchRelations, registerPrefetch } from '../../graphql/prefetch';
import { Parent } from '../../graphql/parent.decorator';
import { connectionType } from '../../pagination';
import { optionalDivision, optionalText, requireUscc } from '../../graphql/identifier-args';
import { AbnormalOperation } from './abnormal-operation.entity';
import { EnterprisesArgs } from './enterprise.args';
import { Enterprise } from './enterprise.entity';
import { EnterpriseRepository } from './enterprise.repository';

registerPrefetch('Enterprise', 'abnormalOperations', (uscc, ctx) => ctx.loaders.enterprise.abnormalOperationsByUscc.load(uscc));

export const EnterpriseConnection = connectionType(Enterprise, 'Enterprise');

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Classified(Classification.PUBLIC)
  @Query(() => Enterprise, { nullable: true, description: 'One enterprise by unified social credit code; null when unknown.' })
  enterprise(@Arg('uscc') uscc: string, @Ctx() ctx: HubContext): Promise<Enterprise | null> {
    const key = requireUscc('uscc', uscc);
    prefetchRelations('Enterprise', key, ctx);
    return ctx.loaders.enterprise.byUscc.load(key);
  }

  @Classified(Classification.PUBLIC)
  @Query(() => EnterpriseConnection, { description: 'Enterprises, filtered and ordered, a page at a time.' })
  enterprises(@Args() args: EnterprisesArgs, @Ctx() ctx: HubContext) {
    const filter = args.filter ?? {};
    return new EnterpriseRepository(ctx).findPage(
      {
        ...filter,
        divisionCode: optionalDivision('filter.divisionCode', filter.divisionCode),
        nameContains: optionalText('filter.nameContains', filter.nameContains),
      },
      args.orderBy, args.first, args.after,
    );
  }

  @Classified(Classification.PUBLIC)
  @FieldResolver(() => [AbnormalOperation], { description: 'Abnormal-operation listings (经营异常名录), newest first.' })
  abnormalOperations(@Parent() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<AbnormalOperation[]> {
    return ctx.loaders.enterprise.abnormalOperationsByUscc.load(enterprise.uscc);
  }
}

@Resolver(() => AbnormalOperation)
export class AbnormalOperationResolver {
  @Classified(Classification.PUBLIC)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The listed enterprise.' })
  enterprise(@Parent() listing: AbnormalOperation, @Ctx() ctx: HubContext): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.byUscc.load(listing.uscc);
  }
}
