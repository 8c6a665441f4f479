import { Args, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import type { RequestContext } from '../../read-kit/request-context';
import type { EnforcementLoaders } from './enforcement.loaders';
import type { EnterpriseLoaders } from '../enterprise';
import type { PractitionerLoaders } from '../practitioner';
import type { VehicleLoaders } from '../vehicle';
import { registerPrefetch } from '../../read-kit/loaders/prefetch';
import { Parent } from '../../read-kit/fields/parent.decorator';
import { optionalDivision, optionalPlate, optionalUscc } from '../../read-kit/arguments/identifier-args';
import { requireWindowOrder } from '../../read-kit/arguments/time-window';
import { connectionType } from '../../read-kit/pagination';
import { Enterprise } from '../enterprise';
import { Practitioner } from '../practitioner';
import { Vehicle } from '../vehicle';
import { EnforcementCasesArgs } from './enforcement.args';
import { EnforcementCase } from './enforcement-case.entity';
import { EnforcementCaseRepository } from './enforcement.repository';

/** What Enforcement's resolvers read: the loaders of this domain and of the ones its fields follow. */
export type EnforcementContext = RequestContext<{ enforcement: EnforcementLoaders; enterprise: EnterpriseLoaders; practitioner: PractitionerLoaders; vehicle: VehicleLoaders }>;

registerPrefetch<EnforcementContext>('Enterprise', 'enforcementCases', (uscc, ctx) => ctx.loaders.enforcement.byPartyUscc.load(uscc));
registerPrefetch<EnforcementContext>('Practitioner', 'enforcementCases', (idNumber, ctx) => ctx.loaders.enforcement.byPartyIdNumber.load(idNumber));

export const EnforcementCaseConnection = connectionType(EnforcementCase, 'EnforcementCase');

@Resolver(() => EnforcementCase)
export class EnforcementCaseResolver {
  @Classified(Classification.INTERNAL)
  @Query(() => EnforcementCaseConnection, { description: 'Enforcement cases, filtered and ordered, a page at a time.' })
  enforcementCases(@Args() args: EnforcementCasesArgs, @Ctx() ctx: EnforcementContext) {
    const f = args.filter ?? {};
    requireWindowOrder('filter.occurredTo', f.occurredFrom, f.occurredTo);
    return new EnforcementCaseRepository(ctx).findPage({
      ...f,
      divisionCode: optionalDivision('filter.divisionCode', f.divisionCode),
      partyUscc: optionalUscc('filter.partyUscc', f.partyUscc),
      plateNumber: optionalPlate('filter.plateNumber', f.plateNumber),
    }, args.orderBy, args.first, args.after);
  }

  @Classified(Classification.INTERNAL)
  @FieldResolver(() => Enterprise, { nullable: true, description: 'The enterprise party, if any.' })
  partyEnterprise(@Parent() c: EnforcementCase, @Ctx() ctx: EnforcementContext): Promise<Enterprise | null> | null {
    return c.partyUscc ? ctx.loaders.enterprise.byUscc.load(c.partyUscc) : null;
  }

  @Classified(Classification.PERSONAL)
  @FieldResolver(() => Practitioner, { nullable: true, description: 'The individual party, if any.' })
  partyPractitioner(@Parent() c: EnforcementCase, @Ctx() ctx: EnforcementContext): Promise<Practitioner | null> | null {
    return c.partyIdNumber ? ctx.loaders.practitioner.byIdNumber.load(c.partyIdNumber) : null;
  }

  @Classified(Classification.INTERNAL)
  @FieldResolver(() => Vehicle, { nullable: true, description: 'The vehicle involved, if any.' })
  vehicle(@Parent() c: EnforcementCase, @Ctx() ctx: EnforcementContext): Promise<Vehicle | null> | null {
    return c.vehiclePlateNumber && c.vehiclePlateColor
      ? ctx.loaders.vehicle.byKey.load({ plateNumber: c.vehiclePlateNumber, plateColor: c.vehiclePlateColor })
      : null;
  }
}

@Resolver(() => Enterprise)
export class EnterpriseCasesResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => [EnforcementCase], { description: 'Cases with the enterprise as a party, newest first.' })
  enforcementCases(@Parent() e: Enterprise, @Ctx() ctx: EnforcementContext): Promise<EnforcementCase[]> {
    return ctx.loaders.enforcement.byPartyUscc.load(e.uscc);
  }
}

@Resolver(() => Vehicle)
export class VehicleCasesResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => [EnforcementCase], { description: 'Cases involving the vehicle, newest first.' })
  enforcementCases(@Parent() v: Vehicle, @Ctx() ctx: EnforcementContext): Promise<EnforcementCase[]> {
    return ctx.loaders.enforcement.byVehicle.load(v);
  }
}

@Resolver(() => Practitioner)
export class PractitionerCasesResolver {
  @Classified(Classification.PERSONAL)
  @FieldResolver(() => [EnforcementCase], { description: 'Cases with the practitioner as a party, newest first.' })
  enforcementCases(@Parent() p: Practitioner, @Ctx() ctx: EnforcementContext): Promise<EnforcementCase[]> {
    return ctx.loaders.enforcement.byPartyIdNumber.load(p.idNumber);
  }
}
