import { MaskKind } from '../../read-kit/fields/masks';
import { Embeddable, Property } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { RecordSystem } from './enums';
import { Column, EnumColumn } from './column';

/** Who runs each upstream system: the agency registry of the agreements file (`agencies`), on the context. */
export interface ProvenanceContext {
  agencies: { ownerOf(system: RecordSystem): string };
}

/** Where a row came from (an upstream system, or the hub for what it derives): kept on every row so any value can be traced to its source. */
@Embeddable()
@ObjectType({ description: 'Which agency system a record came from and when the hub synced it.', simpleResolvers: true })
export class Provenance {
  @EnumColumn(() => RecordSystem, Classification.INTERNAL)
  system!: RecordSystem;

  /** The record's id in its source system. */
  // Personal: the transport system keys practitioners by their resident ID number.
  @Column('text', Classification.PERSONAL, {
    mask: MaskKind.CERTIFICATE,
    description: "The record's id in its source system (for practitioners, a resident ID number).",
  })
  recordId!: string;

  @Column('timestamptz', Classification.INTERNAL, { description: 'When the source last changed the record.' })
  sourceUpdatedAt!: Date;

  @Column('timestamptz', Classification.INTERNAL, { description: 'When the hub last wrote the record.' })
  syncedAt!: Date;

  /** SHA-256 of the canonical record: unchanged rows are not rewritten. */
  @Property({ type: 'text' })
  contentHash!: string;
}
