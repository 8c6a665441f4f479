import { FieldResolver, Resolver, Root } from 'type-graphql';
import { owningAgency, Provenance } from './provenance';

@Resolver(() => Provenance)
export class ProvenanceResolver {
  @FieldResolver(() => String, { description: 'The agency that owns the source system.' })
  agency(@Root() provenance: Provenance): string {
    return owningAgency(provenance.system);
  }
}
