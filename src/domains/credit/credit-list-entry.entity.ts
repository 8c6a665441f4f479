import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { CreditListType } from '../common/enums';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';

/** An entry on a credit list (严重失信主体名单, 失信被执行人, 经营异常名录, …). */
@Entity({ tableName: 'credit_list_entry' })
@ObjectType({ description: 'An entry on a credit list (严重失信主体名单, 失信被执行人, …).', simpleResolvers: true })
export class CreditListEntry extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Property({ type: 'text' })
  @Index()
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Unified social credit code of the listed subject.' })
  subjectUscc!: string;

  @Enum({ items: () => CreditListType })
  @Classified(Classification.INTERNAL)
  @Field(() => CreditListType)
  listType!: CreditListType;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  reason!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  authority!: string;

  @Property({ type: 'date' })
  @Classified(Classification.INTERNAL)
  @Field(() => LocalDate)
  listedOn!: string;

  @Property({ type: 'date', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => LocalDate, { nullable: true })
  removedOn!: string | null;
}
