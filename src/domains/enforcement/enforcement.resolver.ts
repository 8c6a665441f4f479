import { Args, Ctx, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnforcementLoaders } from './enforcement.loaders';
import type { EnterpriseLoaders } from '../enterprise';
import type { PractitionerLoaders } from '../practitioner';
import type { VehicleLoaders } from '../vehicle';
import { optionalDivision, optionalPlate, optionalUscc } from '../../read-kit/arguments/identifier-args';
import { requireWindowOrder } from '../../read-kit/arguments/time-window';
import { connectionType } from '../../read-kit/pagination';
import { EnforcementCasesArgs } from './enforcement.args';
import { EnforcementCase } from './enforcement-case.entity';
import { EnforcementCaseRepository } from './enforcement.repository';

/** What Enforcement's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type EnforcementContext = RequestContext<{
  enforcement: EnforcementLoaders;
  enterprise: EnterpriseLoaders;
  practitioner: PractitionerLoaders;
  vehicle: VehicleLoaders;
}>;

export const EnforcementCaseConnection = connectionType(EnforcementCase, 'EnforcementCase');

@Resolver(() => EnforcementCase)
export class EnforcementCaseResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => EnforcementCaseConnection, { description: 'Enforcement cases, filtered and ordered, a page at a time.' })
  enforcementCases(@Args() args: EnforcementCasesArgs, @Ctx() ctx: EnforcementContext) {
    const f = args.filter ?? {};
    requireWindowOrder('filter.occurredTo', f.occurredFrom, f.occurredTo);
    requireWindowOrder('filter.decidedTo', f.decidedFrom, f.decidedTo);
    return new EnforcementCaseRepository(ctx).findPage(
      {
        ...f,
        divisionCode: optionalDivision('filter.divisionCode', f.divisionCode),
        partyUscc: optionalUscc('filter.partyUscc', f.partyUscc),
        plateNumber: optionalPlate('filter.plateNumber', f.plateNumber),
      },
      args.orderBy,
      args.first,
      args.after,
    );
  }
}
