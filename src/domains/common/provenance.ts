import { MaskKind } from '../../read-kit/fields/masks';
import { Embeddable, Enum, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { SourceSystem } from './enums';

/** The agency that owns each upstream system (see shared/reference/agencies.md). */
const OWNING_AGENCY: Record<SourceSystem, string> = {
  [SourceSystem.TRANSPORT]: 'suzhou-transport',
  [SourceSystem.MARKET_REGISTRY]: 'suzhou-amr',
  [SourceSystem.CREDIT_PLATFORM]: 'jiangsu-credit',
  [SourceSystem.CHECKPOINT_EXCHANGE]: 'suzhou-psb',
};

/** Where a synced row came from: kept on every row so any value can be traced to its source. */
@Embeddable()
@ObjectType({ description: 'Which agency system a record came from and when the hub synced it.', simpleResolvers: true })
export class Provenance {
  @Enum({ items: () => SourceSystem, nativeEnumName: undefined })
  @Classified(Classification.INTERNAL)
  @Field(() => SourceSystem)
  system!: SourceSystem;

  /** The record's id in its source system. */
  @Property({ type: 'text' })
  // Personal: the transport system keys practitioners by their resident ID number.
  @Classified(Classification.PERSONAL, MaskKind.CERTIFICATE)
  @Field({ description: "The record's id in its source system (for practitioners, a resident ID number)." })
  recordId!: string;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'When the source last changed the record.' })
  sourceUpdatedAt!: Date;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'When the hub last wrote the record.' })
  syncedAt!: Date;

  /** SHA-256 of the canonical record: unchanged rows are not rewritten. */
  @Property({ type: 'text' })
  contentHash!: string;
}

/** The owning agency of a record's source system. */
export function owningAgency(system: SourceSystem): string {
  return OWNING_AGENCY[system];
}
