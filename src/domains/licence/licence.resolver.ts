import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnterpriseLoaders } from '../enterprise';
import type { LicenceLoaders } from './licence.loaders';
import { registerPrefetch } from '../../read-kit/loaders/prefetch';
import { Parent } from '../../read-kit/fields/parent.decorator';
import { Enterprise } from '../enterprise';
import { OperatorLicence } from './licence.entity';

/** What Licence's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type LicenceContext = RequestContext<{ enterprise: EnterpriseLoaders; licence: LicenceLoaders }>;

registerPrefetch<LicenceContext>('Enterprise', 'licences', (uscc, ctx) => ctx.loaders.licence.byHolder.load(uscc));

@Resolver(() => OperatorLicence)
export class LicenceResolver {
  @Classified(Classification.PUBLIC)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The holder, when the hub knows it.' })
  holder(@Parent() licence: OperatorLicence, @Ctx() ctx: LicenceContext): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.byUscc.load(licence.holderUscc);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseLicencesResolver {
  @Classified(Classification.PUBLIC)
  @FieldResolver(() => [OperatorLicence], { description: 'Operating licences held, latest expiry first.' })
  licences(@Parent() enterprise: Enterprise, @Ctx() ctx: LicenceContext): Promise<OperatorLicence[]> {
    return ctx.loaders.licence.byHolder.load(enterprise.uscc);
  }
}
