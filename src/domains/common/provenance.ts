import { MaskKind } from '../../read-kit/fields/masks';
import { Embeddable, Enum, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { RecordSystem } from './enums';

/** Who runs each upstream system: the agency registry of the agreements file (`agencies`), on the context. */
export interface ProvenanceContext {
  agencies: { ownerOf(system: RecordSystem): string };
}

/** Where a row came from (an upstream system, or the hub for what it derives): kept on every row so any value can be traced to its source. */
@Embeddable()
@ObjectType({ description: 'Which agency system a record came from and when the hub synced it.', simpleResolvers: true })
export class Provenance {
  @Enum({ items: () => RecordSystem, nativeEnumName: undefined })
  @Classified(Classification.INTERNAL)
  @Field(() => RecordSystem)
  system!: RecordSystem;

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
