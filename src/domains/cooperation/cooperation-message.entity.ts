import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { SyncedEntity } from '../common/synced-entity';
import { CooperationDirection, CooperationKind, DeliveryStatus } from './cooperation-codes';

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
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  id!: string;

  @Enum({ items: () => CooperationDirection })
  @Classified(Classification.INTERNAL)
  @Field(() => CooperationDirection)
  direction!: CooperationDirection;

  @Enum({ items: () => CooperationKind })
  @Classified(Classification.INTERNAL)
  @Field(() => CooperationKind)
  kind!: CooperationKind;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The agency that runs this hub.' })
  localAgency!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The peer bureau it goes to (OUTBOUND) or came from (INBOUND).' })
  peerAgency!: string;

  @Property({ type: 'text', nullable: true })
  peerId!: string | null;

  /** The two agencies: the only readers. */
  @Property({ type: 'text[]' })
  parties!: string[];

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The sender’s message id: the receiver keeps one message per sender and key, however often it is delivered.' })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'What it is about: the clue id, the assistance request or joint case id, or the credit code.' })
  subjectRef!: string;

  /** Canonical JSON, shaped by the receiver's agreement; may hold masked personal data. */
  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'What it carries, as JSON, already filtered and masked by the receiving bureau’s agreement at the sender.' })
  content!: string;

  @Enum({ items: () => DeliveryStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => DeliveryStatus)
  status!: DeliveryStatus;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Delivery attempts so far (OUTBOUND).' })
  attempts!: number;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (OUTBOUND), e.g. the peer was unreachable.' })
  lastError!: string | null;

  @Property({ type: 'text', nullable: true })
  actorSubject!: string | null;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'When it was queued (OUTBOUND) or received (INBOUND).' })
  createdAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'When the peer acknowledged it (OUTBOUND).' })
  deliveredAt!: Date | null;
}
