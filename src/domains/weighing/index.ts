import { domain } from '../../read-kit/domain-descriptor';
import { Weighing } from './weighing.entity';
import { createWeighingLoaders } from './weighing.loaders';
import { weighingOrderings } from './weighing.orderings';
import { weighingRelations } from './weighing.relations';
import { WeighingRepository } from './weighing.repository';
import { WeighingResolver } from './weighing.resolver';
import { WeighingStatsResolver } from './weighing-stats.resolver';

export { Weighing };
export type { WeighingLoaders } from './weighing.loaders';
export type { WeighingContext } from './weighing.resolver';
/** How weighings aggregate (units, measures, rollup): what `bench:reports` times the base-table fallback of. */
export { weighingAggregate, WEIGHING_GROUPS } from './weighing.stats';

/** Weighings of vehicles at weigh stations and weigh-in-motion sites. */
export const weighingDomain = domain({
  name: 'weighing',
  entities: [Weighing],
  resolvers: [WeighingResolver, WeighingStatsResolver],
  loaders: (scope) => createWeighingLoaders(new WeighingRepository(scope)),
  relations: weighingRelations,
  orderings: [weighingOrderings],
});
