import { Property } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { SyncedEntity } from '../common/synced-entity';
import { Column } from '../common/column';

/**
 * What every peer record recognised here carries (信用互认, 检查结果互认): who issued it, who may read
 * it (`parties`, the repository's scope) and whether this bureau gave it the effect of its own.
 */
// Decorated so subclasses inherit its fields; never returned itself, so never in the schema.
@ObjectType()
export abstract class RecognisedPeerRecord extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { description: 'The peer bureau that issued it.' })
  issuingAgency!: string;

  @Property({ type: 'text[]' })
  parties!: string[];

  @Column('boolean', Classification.INTERNAL, { description: 'Recognised by this bureau: it has the effect of one of ours.' })
  recognised!: boolean;

  @Column('timestamptz', Classification.INTERNAL)
  recognisedAt!: Date;
}
