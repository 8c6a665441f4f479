import { Entity, Index, PrimaryKey } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { CreditGrade } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A credit rating of an enterprise by the credit platform (信用评价). */
@Entity({ tableName: 'credit_rating' })
@Index({ properties: ['subjectUscc', 'year'] })
@ObjectType({ description: 'A credit rating of an enterprise (信用评价).', simpleResolvers: true })
export class CreditRating extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Column('text', Classification.INTERNAL, { description: 'Unified social credit code of the rated enterprise.' })
  subjectUscc!: string;

  @EnumColumn(() => CreditGrade, Classification.INTERNAL)
  grade!: CreditGrade;

  @Column('text', Classification.INTERNAL, { description: "The grade on the rating authority's own scale, as it stated it." })
  sourceGrade!: string;

  @Column('smallint', Classification.INTERNAL, { nullable: true, description: 'Penalty points of the year, where the scale uses them.' })
  penaltyPoints!: number | null;

  @Column('double', Classification.INTERNAL)
  score!: number;

  @Column('smallint', Classification.INTERNAL)
  year!: number;

  @Column('text', Classification.INTERNAL)
  ratingAuthority!: string;
}
