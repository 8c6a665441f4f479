import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { CreditGrade } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';

/** A credit rating of an enterprise by the credit platform (信用评价). */
@Entity({ tableName: 'credit_rating' })
@Index({ properties: ['subjectUscc', 'year'] })
@ObjectType({ description: 'A credit rating of an enterprise (信用评价).', simpleResolvers: true })
export class CreditRating extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Unified social credit code of the rated enterprise.' })
  subjectUscc!: string;

  @Enum({ items: () => CreditGrade })
  @Classified(Classification.INTERNAL)
  @Field(() => CreditGrade)
  grade!: CreditGrade;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: "The grade on the rating authority's own scale, as it stated it." })
  sourceGrade!: string;

  @Property({ type: 'smallint', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { nullable: true, description: 'Penalty points of the year, where the scale uses them.' })
  penaltyPoints!: number | null;

  @Property({ type: 'double' })
  @Classified(Classification.INTERNAL)
  @Field(() => Float)
  score!: number;

  @Property({ type: 'smallint' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  year!: number;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  ratingAuthority!: string;
}
