import { domain } from '../../read-kit/domain-descriptor';
import { Practitioner } from './practitioner.entity';
import { createPractitionerLoaders } from './practitioner.loaders';
import { practitionerOrderings } from './practitioner.orderings';
import { practitionerRelations } from './practitioner.relations';
import { PractitionerRepository } from './practitioner.repository';
import { PractitionerResolver } from './practitioner.resolver';

export { Practitioner };
export type { PractitionerLoaders } from './practitioner.loaders';
export type { PractitionerContext } from './practitioner.resolver';

/** Road transport practitioners (personal data throughout). */
export const practitionerDomain = domain({
  name: 'practitioner',
  entities: [Practitioner],
  resolvers: [PractitionerResolver],
  loaders: (scope) => createPractitionerLoaders(new PractitionerRepository(scope)),
  relations: practitionerRelations,
  orderings: [practitionerOrderings],
});
