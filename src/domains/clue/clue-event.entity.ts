import { Entity, PrimaryKey } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { ObjectType } from 'type-graphql';
import { SyncedEntity } from '../common/synced-entity';
import { ClueAction, ClueDismissalReason, ClueStatus } from './clue-codes';
import { Column, EnumColumn } from '../common/column';

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

  @Column('integer', Classification.INTERNAL, { primary: true, description: "The clue's version this change made (1 is the clue as first derived)." })
  version!: number;

  @EnumColumn(() => ClueAction, Classification.INTERNAL)
  action!: ClueAction;

  @EnumColumn(() => ClueStatus, Classification.INTERNAL)
  fromStatus!: ClueStatus;

  @EnumColumn(() => ClueStatus, Classification.INTERNAL)
  toStatus!: ClueStatus;

  @Column('text', Classification.INTERNAL, {
    nullable: true,
    description: "The acting officer's agency; null when the hub itself made the change (a linked case arrived).",
  })
  actorAgency!: string | null;

  @Column('text', Classification.PERSONAL, {
    nullable: true,
    mask: MaskKind.REDACT,
    description: "The acting officer: their token's subject within the agency.",
  })
  actorSubject!: string | null;

  @Column('text', Classification.PERSONAL, { nullable: true, mask: MaskKind.REDACT, description: 'ASSIGN: the officer it was given to (`subject@division`).' })
  assignedTo!: string | null;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'LINK and CONFIRM_LINK: the case number.' })
  caseNumber!: string | null;

  @EnumColumn(() => ClueDismissalReason, Classification.INTERNAL, { nullable: true, description: 'DISMISS: why.' })
  reason!: ClueDismissalReason | null;

  @Column('text', Classification.PERSONAL, {
    nullable: true,
    mask: MaskKind.REDACT,
    description: "VERIFY: the officer's finding; DISMISS: the note beside the reason.",
  })
  note!: string | null;

  @Column('timestamptz', Classification.INTERNAL)
  at!: Date;
}
