export { Enterprise } from './enterprise.entity';
export { AbnormalOperation } from './abnormal-operation.entity';
export { EnterpriseRepository, ENTERPRISE_ORDERINGS } from './enterprise.repository';
export { createEnterpriseLoaders, type EnterpriseLoaders } from './enterprise.loaders';
export { AbnormalOperationResolver, EnterpriseResolver } from './enterprise.resolver';
export type { EnterpriseContext } from './enterprise.resolver';
