export { Weighing } from './weighing.entity';
export { WeighingRepository, WEIGHING_ORDERINGS } from './weighing.repository';
export { createWeighingLoaders, type WeighingLoaders } from './weighing.loaders';
export { WeighingResolver, VehicleWeighingsResolver } from './weighing.resolver';
export type { WeighingContext } from './weighing.resolver';
