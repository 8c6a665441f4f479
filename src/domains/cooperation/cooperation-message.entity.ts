import { Entity, Index, Property, Unique } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { SyncedEntity } from '../common/synced-entity';
import { CooperationDirection, CooperationKind, DeliveryStatus } from './cooperation-codes';
import { Column, EnumColumn } from '../common/column';

/**
 * A message between this hub and a peer bureau's hub: in the outbox until the peer acknowledges
 * it, or in the inbox. Its content was filtered and masked by the receiver's agreement before it
 * left the sender, so the inbox holds only what the receiver may see. Read only by the two
 * agencies it passes between (`parties`).
 */
@Entity({ tableName: 'cooperation_message' })
@Unique({ name: 'cooperation_message_once', properties: ['direction', 'peerAgency', 'idempotencyKey'] })
@Index({ properties: ['createdAt', 'id'] })
@ObjectType({ description: 'A message between peer bureaus’ hubs (长三角协作): outbox or inbox.', simpleResolvers: true })
export class CooperationMessage extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { primary: true })
  id!: string;

  @EnumColumn(() => CooperationDirection, Classification.INTERNAL)
  direction!: CooperationDirection;

  @EnumColumn(() => CooperationKind, Classification.INTERNAL)
  kind!: CooperationKind;

  @Column('text', Classification.INTERNAL, { description: 'The agency that runs this hub.' })
  localAgency!: string;

  @Column('text', Classification.INTERNAL, { description: 'The peer bureau it goes to (OUTBOUND) or came from (INBOUND).' })
  peerAgency!: string;

  @Property({ type: 'text', nullable: true })
  peerId!: string | null;

  /** The two agencies: the only readers. */
  @Property({ type: 'text[]' })
  parties!: string[];

  @Column('text', Classification.INTERNAL, {
    description: 'The sender’s message id: the receiver keeps one message per sender and key, however often it is delivered.',
  })
  idempotencyKey!: string;

  @Column('text', Classification.INTERNAL, { description: 'What it is about: the clue id, the assistance request or joint case id, or the credit code.' })
  subjectRef!: string;

  /** Canonical JSON, shaped by the receiver's agreement; may hold masked personal data. */
  @Column('text', Classification.INTERNAL, {
    description: 'What it carries, as JSON, already filtered and masked by the receiving bureau’s agreement at the sender.',
  })
  content!: string;

  @EnumColumn(() => DeliveryStatus, Classification.INTERNAL)
  status!: DeliveryStatus;

  @Column('integer', Classification.INTERNAL, { description: 'Delivery attempts so far (OUTBOUND).' })
  attempts!: number;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'Why the last attempt failed (OUTBOUND), e.g. the peer was unreachable.' })
  lastError!: string | null;

  @Property({ type: 'text', nullable: true })
  actorSubject!: string | null;

  @Column('timestamptz', Classification.INTERNAL, { description: 'When it was queued (OUTBOUND) or received (INBOUND).' })
  createdAt!: Date;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true, description: 'When the peer acknowledged it (OUTBOUND).' })
  deliveredAt!: Date | null;
}
