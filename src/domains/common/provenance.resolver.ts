import { Parent } from '../../read-kit/fields/parent.decorator';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { FieldResolver, Resolver } from 'type-graphql';
import { owningAgency, Provenance } from './provenance';

@Resolver(() => Provenance)
export class ProvenanceResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => String, { description: 'The agency that owns the source system.' })
  agency(@Parent() provenance: Provenance): string {
    return owningAgency(provenance.system);
  }
}
