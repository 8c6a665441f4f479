export { OperatorLicence } from './licence.entity';
export { LicenceRepository } from './licence.repository';
export { createLicenceLoaders, type LicenceLoaders } from './licence.loaders';
export { LicenceResolver, EnterpriseLicencesResolver } from './licence.resolver';
export type { LicenceContext } from './licence.resolver';
