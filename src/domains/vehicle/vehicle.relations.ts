import { Classification } from '../../read-kit/fields/classification';
import { relation } from '../../read-kit/relations';
import { Enterprise } from '../enterprise';
import { Vehicle } from './vehicle.entity';
import type { VehicleContext } from './vehicle.resolver';

export const vehicleRelations = [
  relation({
    on: () => Vehicle,
    field: 'owner',
    returns: () => Enterprise,
    nullable: true,
    description: 'The owning enterprise, when the hub knows it.',
    classification: Classification.PUBLIC,
    parentKey: 'ownerUscc',
    load: (ctx: VehicleContext, { ownerUscc }) => ctx.loaders.enterprise.byUscc.load(ownerUscc),
  }),
  relation({
    on: () => Enterprise,
    field: 'vehicles',
    returns: () => [Vehicle],
    description: 'Vehicles the enterprise owns, by plate.',
    classification: Classification.PUBLIC,
    parentKey: 'uscc',
    load: (ctx: VehicleContext, { uscc }) => ctx.loaders.vehicle.byOwner.load(uscc),
  }),
];
