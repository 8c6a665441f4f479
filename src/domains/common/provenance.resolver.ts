import { Parent } from '../../graphql/parent.decorator';
import { FieldResolver, Resolver } from 'type-graphql';
import { owningAgency, Provenance } from './provenance';

@Resolver(() => Provenance)
export class ProvenanceResolver {
  @FieldResolver(() => String, { description: 'The agency that owns the source system.' })
  agency(@Parent() provenance: Provenance): string {
    return owningAgency(provenance.system);
  }
}
