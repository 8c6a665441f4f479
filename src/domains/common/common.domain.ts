import { domain } from '../../read-kit/domain-descriptor';
import { Provenance } from './provenance';
import { ProvenanceResolver } from './provenance.resolver';

/** What every domain builds on: the provenance embeddable and its owning-agency field. */
export const commonDomain = domain({
  name: 'common',
  entities: [Provenance],
  resolvers: [ProvenanceResolver],
  relations: [],
  orderings: [],
});
