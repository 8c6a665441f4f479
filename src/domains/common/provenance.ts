import { Embeddable, Enum, Property } from '@mikro-orm/core';
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
@ObjectType({ description: 'Which agency system a record came from and when the hub synced it.' })
export class Provenance {
  @Enum({ items: () => SourceSystem, nativeEnumName: undefined })
  @Field(() => SourceSystem)
  system!: SourceSystem;

  /** The record's id in its source system. */
  @Property({ type: 'text' })
  @Field({ description: "The record's id in its source system." })
  recordId!: string;

  @Property({ type: 'timestamptz' })
  @Field({ description: 'When the source last changed the record.' })
  sourceUpdatedAt!: Date;

  @Property({ type: 'timestamptz' })
  @Field({ description: 'When the hub last wrote the record.' })
  syncedAt!: Date;

  /** SHA-256 of the canonical record: unchanged rows are not rewritten. */
  @Property({ type: 'text' })
  contentHash!: string;

  @Field({ description: 'The agency that owns the source system.' })
  get agency(): string {
    return OWNING_AGENCY[this.system];
  }
}

/** Provenance for rows read without hydration (raw SQL paths). */
export function provenanceOf(row: {
  provenance_system: SourceSystem; provenance_record_id: string; provenance_source_updated_at: Date;
  provenance_synced_at: Date; provenance_content_hash: string;
}): Provenance {
  const p = new Provenance();
  p.system = row.provenance_system;
  p.recordId = row.provenance_record_id;
  p.sourceUpdatedAt = row.provenance_source_updated_at;
  p.syncedAt = row.provenance_synced_at;
  p.contentHash = row.provenance_content_hash;
  return p;
}
