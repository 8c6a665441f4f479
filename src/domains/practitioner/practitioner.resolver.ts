import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnterpriseLoaders } from '../enterprise';
import type { PractitionerLoaders } from './practitioner.loaders';
import { prefetchRelations } from '../../read-kit/relations';
import { optionalUscc, requireResidentId } from '../../read-kit/arguments/identifier-args';
import { connectionType } from '../../read-kit/pagination';
import { PractitionersArgs } from './practitioner.args';
import { Practitioner } from './practitioner.entity';
import { PractitionerRepository } from './practitioner.repository';

/** What Practitioner's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type PractitionerContext = RequestContext<{ enterprise: EnterpriseLoaders; practitioner: PractitionerLoaders }>;

export const PractitionerConnection = connectionType(Practitioner, 'Practitioner');

@Resolver(() => Practitioner)
export class PractitionerResolver {
  @Classified(Classification.SENSITIVE_PERSONAL)
  @Query(() => Practitioner, { nullable: true, description: 'One practitioner by resident ID number; null when unknown.' })
  practitioner(@Arg('idNumber') idNumber: string, @Ctx() ctx: PractitionerContext): Promise<Practitioner | null> {
    const key = requireResidentId('idNumber', idNumber);
    prefetchRelations(ctx, Practitioner, { idNumber: key });
    return ctx.loaders.practitioner.byIdNumber.load(key);
  }

  @Classified(Classification.PERSONAL)
  @Query(() => PractitionerConnection, { description: 'Practitioners, filtered, a page at a time.' })
  practitioners(@Args() args: PractitionersArgs, @Ctx() ctx: PractitionerContext) {
    const f = args.filter ?? {};
    return new PractitionerRepository(ctx).findPage(
      { ...f, employerUscc: optionalUscc('filter.employerUscc', f.employerUscc) },
      args.orderBy,
      args.first,
      args.after,
    );
  }
}
