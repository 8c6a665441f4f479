import { Embedded, Property } from '@mikro-orm/core';
import { Field } from 'type-graphql';
import { Provenance } from './provenance';

/**
 * Columns every synced row carries. Soft-deleted rows (gone at the source) are hidden by the
 * default `live` filter; sync code disables it to see them.
 */
export abstract class SyncedEntity {
  @Embedded(() => Provenance, { prefix: 'provenance_' })
  @Field(() => Provenance)
  provenance!: Provenance;

  @Property({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null = null;
}
