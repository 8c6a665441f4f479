export { EnforcementCase } from './enforcement-case.entity';
export { EnforcementCaseRepository, ENFORCEMENT_CASE_ORDERINGS } from './enforcement.repository';
export { createEnforcementLoaders, type EnforcementLoaders } from './enforcement.loaders';
export {
  EnforcementCaseResolver, EnterpriseCasesResolver, VehicleCasesResolver, PractitionerCasesResolver,
} from './enforcement.resolver';
export type { EnforcementContext } from './enforcement.resolver';
