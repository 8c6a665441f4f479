import { domain } from '../../read-kit/domain-descriptor';
import { AbnormalOperation } from './abnormal-operation.entity';
import { Enterprise } from './enterprise.entity';
import { createEnterpriseLoaders } from './enterprise.loaders';
import { enterpriseOrderings } from './enterprise.orderings';
import { enterpriseRelations } from './enterprise.relations';
import { EnterpriseRepository } from './enterprise.repository';
import { EnterpriseResolver } from './enterprise.resolver';
import { EnterpriseStatsResolver } from './enterprise-stats.resolver';

export { Enterprise, AbnormalOperation };
export type { EnterpriseLoaders } from './enterprise.loaders';
export type { EnterpriseContext } from './enterprise.resolver';

/** Registered market entities and their abnormal-operation listings. */
export const enterpriseDomain = domain({
  name: 'enterprise',
  entities: [Enterprise, AbnormalOperation],
  resolvers: [EnterpriseResolver, EnterpriseStatsResolver],
  loaders: (scope) => createEnterpriseLoaders(new EnterpriseRepository(scope)),
  relations: enterpriseRelations,
  orderings: [enterpriseOrderings],
});
