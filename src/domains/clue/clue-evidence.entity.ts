import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, ObjectType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { ClueEvidenceKind } from './clue-codes';
import { Column } from '../common/column';

/**
 * One record a clue rests on, by its natural key; the record itself is read through the relation
 * for its kind, under the caller's own agreement (masks, row scopes and case rules included).
 */
@Entity({ tableName: 'clue_evidence' })
@ObjectType({ description: 'A record a clue rests on: a weighing, a capture, a case, or a certificate or licence as the rule saw it.', simpleResolvers: true })
export class ClueEvidence {
  @PrimaryKey({ type: 'text' })
  clueId!: string;

  // A text column shown as the enum of what it holds: `Column` ties the property's type to the column's, so it is declared apart.
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field(() => ClueEvidenceKind)
  kind!: ClueEvidenceKind;

  /** The record's key within its kind. */
  @PrimaryKey({ type: 'text' })
  ref!: string;

  /** When the record was observed: measured, captured, the case occurred, or the rule read the certificate (a field through `clueRelations`: never a capture's time). */
  @Property({ type: 'timestamptz' })
  observedAt!: Date;

  @Column('text', Classification.INTERNAL, {
    nullable: true,
    description: 'A certificate or licence state as the rule saw it, e.g. "REVOKED" or "EXPIRED 2025-06-30".',
  })
  recordedState!: string | null;

  @Property({ type: 'text', nullable: true })
  weighingSourceId!: string | null;

  @Property({ type: 'bigint', nullable: true })
  captureSerial!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  capturedAt!: Date | null;

  @Property({ type: 'text', nullable: true })
  caseNumber!: string | null;

  @Property({ type: 'text', nullable: true })
  plateNumber!: string | null;

  @Enum({ items: () => PlateColor, nullable: true })
  plateColor!: PlateColor | null;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'The operator licence (LICENCE evidence).' })
  licenceNumber!: string | null;
}
