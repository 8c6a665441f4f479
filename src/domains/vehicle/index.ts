import { domain } from '../../read-kit/domain-descriptor';
import { Vehicle } from './vehicle.entity';
import { createVehicleLoaders } from './vehicle.loaders';
import { vehicleOrderings } from './vehicle.orderings';
import { vehicleRelations } from './vehicle.relations';
import { VehicleRepository } from './vehicle.repository';
import { VehicleResolver } from './vehicle.resolver';
import { VehicleStatsResolver } from './vehicle-stats.resolver';

export { Vehicle };
export type { VehicleLoaders } from './vehicle.loaders';
export type { VehicleContext } from './vehicle.resolver';

/** Road vehicles, by plate number and colour. */
export const vehicleDomain = domain({
  name: 'vehicle',
  entities: [Vehicle],
  resolvers: [VehicleResolver, VehicleStatsResolver],
  loaders: (scope) => createVehicleLoaders(new VehicleRepository(scope)),
  relations: vehicleRelations,
  orderings: [vehicleOrderings],
});
