import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HubContext } from '../../graphql/context';
import { Enterprise } from '../enterprise';
import { OperatorLicence } from './licence.entity';

@Resolver(() => OperatorLicence)
export class LicenceResolver {
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The holder, when the hub knows it.' })
  holder(@Root() licence: OperatorLicence, @Ctx() ctx: HubContext): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.byUscc.load(licence.holderUscc);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseLicencesResolver {
  @FieldResolver(() => [OperatorLicence], { description: 'Operating licences held, latest expiry first.' })
  licences(@Root() enterprise: Enterprise, @Ctx() ctx: HubContext): Promise<OperatorLicence[]> {
    return ctx.loaders.licence.byHolder.load(enterprise.uscc);
  }
}
