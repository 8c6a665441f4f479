import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';
import { AssistanceStatus, CooperationDirection } from './cooperation-codes';

/**
 * An assistance request (协查) between two bureaus, kept by both hubs under the requester's id:
 * OUTBOUND where it was asked, INBOUND where it must be answered. The answer travels back as a
 * message and closes both copies.
 */
@Entity({ tableName: 'assistance_request' })
@Index({ properties: ['requestedAt', 'id'] })
@ObjectType({ description: 'An assistance request (协查) between peer bureaus, with its due date and answer.', simpleResolvers: true })
export class AssistanceRequest extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The requester’s id, the same on both hubs.' })
  id!: string;

  @Enum({ items: () => CooperationDirection })
  @Classified(Classification.INTERNAL)
  @Field(() => CooperationDirection, { description: 'OUTBOUND: this bureau asked; INBOUND: this bureau is asked.' })
  direction!: CooperationDirection;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  requesterAgency!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  assistingAgency!: string;

  @Property({ type: 'text[]' })
  parties!: string[];

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'What it is about: a plate, a credit code or a case number.' })
  subject!: string;

  /** Free text an officer wrote: it may name people. */
  @Property({ type: 'text' })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field({ description: 'What the requester asks.' })
  question!: string;

  @Property({ type: 'date' })
  @Classified(Classification.INTERNAL)
  @Field(() => LocalDate, { description: 'By when the answer is due.' })
  dueDate!: string;

  @Enum({ items: () => AssistanceStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => AssistanceStatus)
  status!: AssistanceStatus;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: 'The assisting bureau’s answer.' })
  answer!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true })
  answeredAt!: Date | null;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  requestedAt!: Date;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  version!: number;
}
