import { Entity, Index, PrimaryKey } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { CreditListType } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** An entry on a credit list (严重失信主体名单, 失信被执行人, 经营异常名录, …). */
@Entity({ tableName: 'credit_list_entry' })
@ObjectType({ description: 'An entry on a credit list (严重失信主体名单, 失信被执行人, …).', simpleResolvers: true })
export class CreditListEntry extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Column('text', Classification.INTERNAL, { description: 'Unified social credit code of the listed subject.' })
  @Index()
  subjectUscc!: string;

  @EnumColumn(() => CreditListType, Classification.INTERNAL)
  listType!: CreditListType;

  @Column('text', Classification.INTERNAL)
  reason!: string;

  @Column('text', Classification.INTERNAL)
  authority!: string;

  @Column('date', Classification.INTERNAL)
  listedOn!: string;

  @Column('date', Classification.INTERNAL, { nullable: true })
  removedOn!: string | null;
}
