import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { Field, Int, ObjectType } from 'type-graphql';
import { SyncedEntity } from '../common/synced-entity';
import { ClueAction, ClueDismissalReason, ClueStatus } from './clue-codes';

/**
 * One change of a clue's status, appended in the transaction that made it (hub-native, provenance
 * system HUB, record id `clueId/version`). Never updated or deleted: the hub's role may only insert
 * them (migration `clue_workflow`). The clue's version after the change keys it and orders a
 * clue's history.
 */
@Entity({ tableName: 'clue_event' })
@ObjectType({ description: "A change of a clue's status: who, from what to what, when and why.", simpleResolvers: true })
export class ClueEvent extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  clueId!: string;

  @PrimaryKey({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: "The clue's version this change made (1 is the clue as first derived)." })
  version!: number;

  @Enum({ items: () => ClueAction })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueAction)
  action!: ClueAction;

  @Enum({ items: () => ClueStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueStatus)
  fromStatus!: ClueStatus;

  @Enum({ items: () => ClueStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueStatus)
  toStatus!: ClueStatus;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: "The acting officer's agency; null when the hub itself made the change (a linked case arrived)." })
  actorAgency!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: "The acting officer: their token's subject within the agency." })
  actorSubject!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: 'ASSIGN: the officer it was given to (`subject@division`).' })
  assignedTo!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'LINK and CONFIRM_LINK: the case number.' })
  caseNumber!: string | null;

  @Enum({ items: () => ClueDismissalReason, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueDismissalReason, { nullable: true, description: 'DISMISS: why.' })
  reason!: ClueDismissalReason | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: "VERIFY: the officer's finding; DISMISS: the note beside the reason." })
  note!: string | null;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  at!: Date;
}
