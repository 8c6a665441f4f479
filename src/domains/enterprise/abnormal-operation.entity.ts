import { Entity, Index, PrimaryKey } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { SyncedEntity } from '../common/synced-entity';
import { Column } from '../common/column';

/** A listing in the abnormal-operation directory (经营异常名录) of the market registry. */
@Entity({ tableName: 'abnormal_operation' })
@ObjectType({ description: 'An abnormal-operation listing (经营异常名录) of an enterprise.', simpleResolvers: true })
export class AbnormalOperation extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Column('text', Classification.PUBLIC, { description: 'The listed enterprise.' })
  @Index()
  uscc!: string;

  @Column('text', Classification.PUBLIC)
  reason!: string;

  @Column('text', Classification.PUBLIC)
  authority!: string;

  @Column('date', Classification.PUBLIC)
  listedOn!: string;

  @Column('date', Classification.PUBLIC, { nullable: true })
  removedOn!: string | null;
}
