import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { LocalDate } from '../common/scalars';
import { RecognisedPeerRecord } from './recognised-peer-record.entity';

/**
 * A peer bureau's credit decision about an enterprise (a list entry: dishonest list, joint
 * sanctions…), recognised here (信用信息共享互认): shown beside our own, marked as the peer's.
 */
@Entity({ tableName: 'recognised_credit_decision' })
@Index({ properties: ['creditCode', 'recognisedAt', 'id'] })
@ObjectType({ description: 'A peer bureau’s credit decision, recognised by this bureau (信用互认).', simpleResolvers: true })
export class RecognisedCreditDecision extends RecognisedPeerRecord {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The issuing hub’s id of the decision.' })
  id!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'The enterprise’s unified social credit code.' })
  creditCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The list it put the enterprise on, as the issuer names it.' })
  listType!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  reason!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The authority that decided it.' })
  authority!: string;

  @Property({ type: 'date' })
  @Classified(Classification.INTERNAL)
  @Field(() => LocalDate)
  decidedOn!: string;
}
