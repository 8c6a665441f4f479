import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';

/** A listing in the abnormal-operation directory (经营异常名录) of the market registry. */
@Entity({ tableName: 'abnormal_operation' })
@ObjectType({ description: 'An abnormal-operation listing (经营异常名录) of an enterprise.', simpleResolvers: true })
export class AbnormalOperation extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Property({ type: 'text' })
  @Index()
  @Classified(Classification.PUBLIC)
  @Field({ description: 'The listed enterprise.' })
  uscc!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  reason!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field()
  authority!: string;

  @Property({ type: 'date' })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate)
  listedOn!: string;

  @Property({ type: 'date', nullable: true })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate, { nullable: true })
  removedOn!: string | null;
}
