import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../graphql/classification';
import type { HubContext } from '../../graphql/context';
import { registerPrefetch } from '../../graphql/prefetch';
import { Parent } from '../../graphql/parent.decorator';
import { Enterprise } from '../enterprise';
import { OperatorLicence } from './licence.entity';

registerPrefetch('Enterprise', 'licences', (uscc, ctx) => ctx.loaders.licence.byHolder.load(uscc));

@Resolver(() => OperatorLicence)
export class LicenceResolver {
  @Classified(Classification.PUBLIC)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The holder, when the hub knows it.' })
  holder(@Parent() licence: OperatorLicence, @Ctx() ctx: HubContext): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.byUscc.load(licence.holderUscc);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseLicencesResolver {
  @Classified(Classification.PUBLIC)
  @FieldResolver(() => [OperatorLicence], { description: 'Operating licences held, latest expiry first.' })
  licences(@Parent() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<OperatorLicence[]> {
    return ctx.loaders.licence.byHolder.load(enterprise.uscc);
  }
}
