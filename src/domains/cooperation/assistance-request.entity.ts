import { Entity, Index, Property } from '@mikro-orm/core';
import { ObjectType } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { SyncedEntity } from '../common/synced-entity';
import { AssistanceStatus, CooperationDirection } from './cooperation-codes';
import { Column, EnumColumn } from '../common/column';

/**
 * An assistance request (协查) between two bureaus, kept by both hubs under the requester's id:
 * OUTBOUND where it was asked, INBOUND where it must be answered. The answer travels back as a
 * message and closes both copies.
 */
@Entity({ tableName: 'assistance_request' })
@Index({ properties: ['requestedAt', 'id'] })
@ObjectType({ description: 'An assistance request (协查) between peer bureaus, with its due date and answer.', simpleResolvers: true })
export class AssistanceRequest extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { primary: true, description: 'The requester’s id, the same on both hubs.' })
  id!: string;

  @EnumColumn(() => CooperationDirection, Classification.INTERNAL, { description: 'OUTBOUND: this bureau asked; INBOUND: this bureau is asked.' })
  direction!: CooperationDirection;

  @Column('text', Classification.INTERNAL)
  requesterAgency!: string;

  @Column('text', Classification.INTERNAL)
  assistingAgency!: string;

  @Property({ type: 'text[]' })
  parties!: string[];

  @Column('text', Classification.INTERNAL, { description: 'What it is about: a plate, a credit code or a case number.' })
  subject!: string;

  /** Free text an officer wrote: it may name people. */
  @Column('text', Classification.PERSONAL, { mask: MaskKind.REDACT, description: 'What the requester asks.' })
  question!: string;

  @Column('date', Classification.INTERNAL, { description: 'By when the answer is due.' })
  dueDate!: string;

  @EnumColumn(() => AssistanceStatus, Classification.INTERNAL)
  status!: AssistanceStatus;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.REDACT, description: 'The assisting bureau’s answer.' })
  answer!: string | null;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true })
  answeredAt!: Date | null;

  @Column('timestamptz', Classification.INTERNAL)
  requestedAt!: Date;

  @Column('integer', Classification.INTERNAL)
  version!: number;
}
