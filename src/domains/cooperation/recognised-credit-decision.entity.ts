import { Entity, Index } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { RecognisedPeerRecord } from './recognised-peer-record.entity';
import { Column } from '../common/column';

/**
 * A peer bureau's credit decision about an enterprise (a list entry: dishonest list, joint
 * sanctions…), recognised here (信用信息共享互认): shown beside our own, marked as the peer's.
 */
@Entity({ tableName: 'recognised_credit_decision' })
@Index({ properties: ['creditCode', 'recognisedAt', 'id'] })
@ObjectType({ description: 'A peer bureau’s credit decision, recognised by this bureau (信用互认).', simpleResolvers: true })
export class RecognisedCreditDecision extends RecognisedPeerRecord {
  @Column('text', Classification.INTERNAL, { primary: true, description: 'The issuing hub’s id of the decision.' })
  id!: string;

  @Column('text', Classification.PUBLIC, { description: 'The enterprise’s unified social credit code.' })
  creditCode!: string;

  @Column('text', Classification.INTERNAL, { description: 'The list it put the enterprise on, as the issuer names it.' })
  listType!: string;

  @Column('text', Classification.INTERNAL)
  reason!: string;

  @Column('text', Classification.INTERNAL, { description: 'The authority that decided it.' })
  authority!: string;

  @Column('date', Classification.INTERNAL)
  decidedOn!: string;
}
