export { Practitioner } from './practitioner.entity';
export { PractitionerRepository, PRACTITIONER_ORDERINGS } from './practitioner.repository';
export { createPractitionerLoaders, type PractitionerLoaders } from './practitioner.loaders';
export { PractitionerResolver, EnterprisePractitionersResolver } from './practitioner.resolver';
export type { PractitionerContext } from './practitioner.resolver';
