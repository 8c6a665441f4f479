import { Embedded, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { Provenance } from './provenance';

/**
 * Columns every synced row carries. Soft-deleted rows (gone at the source) are hidden by the
 * default `live` filter; sync code disables it to see them.
 */
// Decorated so subclasses inherit its fields; never returned itself, so never in the schema.
@ObjectType()
export abstract class SyncedEntity {
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  @Classified(Classification.INTERNAL)
  @Field(() => Provenance)
  provenance!: Provenance;

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}
