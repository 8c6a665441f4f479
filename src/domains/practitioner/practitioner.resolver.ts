import { Arg, Args, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnterpriseLoaders } from '../enterprise';
import type { PractitionerLoaders } from './practitioner.loaders';
import { prefetchRelations, registerPrefetch } from '../../read-kit/loaders/prefetch';
import { Parent } from '../../read-kit/fields/parent.decorator';
import { optionalUscc, requireResidentId } from '../../read-kit/arguments/identifier-args';
import { connectionType } from '../../read-kit/pagination';
import { Enterprise } from '../enterprise';
import { PractitionersArgs } from './practitioner.args';
import { Practitioner } from './practitioner.entity';
import { PractitionerRepository } from './practitioner.repository';

/** What Practitioner's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type PractitionerContext = RequestContext<{ enterprise: EnterpriseLoaders; practitioner: PractitionerLoaders }>;

registerPrefetch<PractitionerContext>('Enterprise', 'practitioners', (uscc, ctx) => ctx.loaders.practitioner.byEmployer.load(uscc));

export const PractitionerConnection = connectionType(Practitioner, 'Practitioner');

@Resolver(() => Practitioner)
export class PractitionerResolver {
  @Classified(Classification.SENSITIVE_PERSONAL)
  @Query(() => Practitioner, { nullable: true, description: 'One practitioner by resident ID number; null when unknown.' })
  practitioner(@Arg('idNumber') idNumber: string, @Ctx() ctx: PractitionerContext): Promise<Practitioner | null> {
    const key = requireResidentId('idNumber', idNumber);
    prefetchRelations('Practitioner', key, ctx);
    return ctx.loaders.practitioner.byIdNumber.load(key);
  }

  @Classified(Classification.PERSONAL)
  @Query(() => PractitionerConnection, { description: 'Practitioners, filtered, a page at a time.' })
  practitioners(@Args() args: PractitionersArgs, @Ctx() ctx: PractitionerContext) {
    const f = args.filter ?? {};
    return new PractitionerRepository(ctx).findPage(
      { ...f, employerUscc: optionalUscc('filter.employerUscc', f.employerUscc) }, args.orderBy, args.first, args.after,
    );
  }

  @Classified(Classification.PERSONAL)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The employer, when the hub knows it.' })
  employer(@Parent() p: Practitioner, @Ctx() ctx: PractitionerContext): Promise<Enterprise | null> | null {
    return p.employerUscc ? ctx.loaders.enterprise.byUscc.load(p.employerUscc) : null;
  }
}

@Resolver(() => Enterprise)
export class EnterprisePractitionersResolver {
  @Classified(Classification.PERSONAL)
  @FieldResolver(() => [Practitioner], { description: 'Practitioners the enterprise employs.' })
  practitioners(@Parent() enterprise: Enterprise, @Ctx() ctx: PractitionerContext): Promise<Practitioner[]> {
    return ctx.loaders.practitioner.byEmployer.load(enterprise.uscc);
  }
}
