export { Vehicle } from './vehicle.entity';
export { VehicleRepository, VEHICLE_ORDERINGS } from './vehicle.repository';
export { createVehicleLoaders, type VehicleLoaders } from './vehicle.loaders';
export { VehicleResolver, EnterpriseVehiclesResolver } from './vehicle.resolver';
export type { VehicleContext } from './vehicle.resolver';
