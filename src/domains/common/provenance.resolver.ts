import { Parent } from '../../read-kit/fields/parent.decorator';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { Provenance, type ProvenanceContext } from './provenance';

@Resolver(() => Provenance)
export class ProvenanceResolver {
  @Classified(Classification.INTERNAL)
  @FieldResolver(() => String, { description: 'The agency that owns the source system.' })
  agency(@Parent() provenance: Provenance, @Ctx() ctx: ProvenanceContext): string {
    return ctx.agencies.ownerOf(provenance.system);
  }
}
