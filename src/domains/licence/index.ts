import { domain } from '../../read-kit/domain-descriptor';
import { OperatorLicence } from './licence.entity';
import { createLicenceLoaders } from './licence.loaders';
import { licenceRelations } from './licence.relations';
import { LicenceRepository } from './licence.repository';

export { OperatorLicence };
export type { LicenceLoaders } from './licence.loaders';
export type { LicenceContext } from './licence.relations';

/** Road transport operating licences. */
export const licenceDomain = domain({
  name: 'licence',
  entities: [OperatorLicence],
  resolvers: [],
  loaders: (scope) => createLicenceLoaders(new LicenceRepository(scope)),
  relations: licenceRelations,
  orderings: [],
});
