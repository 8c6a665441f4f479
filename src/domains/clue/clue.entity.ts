import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { MaskKind } from '../../read-kit/fields/masks';
import { Field, Int, ObjectType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';
import { ClueKind, ClueSeverity, ClueStatus, ClueSubjectType } from './clue-codes';

/**
 * A supervision clue (线索): what a rule of the rule file found in the joined data, for the
 * district that must act on it. The hub is its system of record (provenance system `HUB`); one
 * clue per subject, kind and window, which new evidence extends. A clue whose grounds vanish
 * while still OPEN (the case arrived, the certificate was renewed) is withdrawn: soft-deleted.
 * Officers move it through the workflow (`CLUE_TRANSITIONS`), each change a `ClueEvent`.
 */
@Entity({ tableName: 'clue' })
@Unique({ name: 'clue_dedup_key', properties: ['kind', 'subjectType', 'subjectKey', 'windowStart'] })
@Index({ properties: ['lastSeen', 'id'] })
@Index({ properties: ['division', 'lastSeen'] })
@ObjectType({ description: 'A supervision clue (线索) the hub derived from joined data, for the district that must act on it.', simpleResolvers: true })
export class Clue extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Stable for the subject, kind and window: the same clue whenever it is derived.' })
  id!: string;

  @Enum({ items: () => ClueKind })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueKind)
  kind!: ClueKind;

  @Enum({ items: () => ClueSubjectType })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueSubjectType)
  subjectType!: ClueSubjectType;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({
    description: "The natural key of the subject: plateNumber/plateColor, a unified social credit code, or a case number (never a person's ID number).",
  })
  subjectKey!: string;

  /** The vehicle's plate when the subject is one (its relation's key). */
  @Property({ type: 'text', nullable: true })
  plateNumber!: string | null;

  @Enum({ items: () => PlateColor, nullable: true })
  plateColor!: PlateColor | null;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'GB/T 2260 division of the district that must act on it.' })
  division!: string;

  @Enum({ items: () => ClueSeverity })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueSeverity)
  severity!: ClueSeverity;

  /** The severity's place in `ClueSeverity`, lowest 0: what ordering by severity sorts. */
  @Property({ type: 'smallint' })
  severityRank!: number;

  @Enum({ items: () => ClueStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueStatus)
  status!: ClueStatus;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'The rule of the rule file that raised it.' })
  ruleId!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: "The rule file's version when the clue was last derived." })
  ruleVersion!: string;

  @Property({ type: 'date' })
  @Classified(Classification.INTERNAL)
  @Field(() => LocalDate, { description: "First day of the rule's window (Beijing time) the evidence falls in." })
  windowStart!: string;

  /** When the earliest evidence was observed; a field through `clueRelations`, shown only where it is no capture time. */
  @Property({ type: 'timestamptz' })
  firstSeen!: Date;

  /** When the latest evidence was observed; as `firstSeen`. */
  @Property({ type: 'timestamptz' })
  lastSeen!: Date;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'How many pieces of evidence it rests on.' })
  evidenceCount!: number;

  /** Moves with every status change: a change made on an older version is refused (optimistic concurrency). */
  @Property({ type: 'integer', default: 1 })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Goes up by one with every status change; pass it as expectedVersion to act only on what you saw.' })
  version!: number;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PERSONAL, MaskKind.REDACT)
  @Field(() => String, { nullable: true, description: 'The officer it is assigned to, `subject@division` (see assignClue).' })
  assignedTo!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'The case number it was linked to (LINKED_PENDING until that case syncs, then LINKED).' })
  linkedCaseNumber!: string | null;
}
