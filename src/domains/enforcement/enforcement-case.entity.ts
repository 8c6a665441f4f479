import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, Float, ObjectType } from 'type-graphql';
import { CaseStatus, PlateColor } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';

/** A transport enforcement case (执法案件). */
@Entity({ tableName: 'enforcement_case' })
@Index({ properties: ['vehiclePlateNumber', 'vehiclePlateColor'] })
@Index({ properties: ['occurredAt'] })
@ObjectType({ description: 'A transport enforcement case (执法案件).', simpleResolvers: true })
export class EnforcementCase extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Field()
  caseNumber!: string;

  @Property({ type: 'text' })
  @Field()
  violationCode!: string;

  @Property({ type: 'text' })
  @Field()
  violationType!: string;

  @Property({ type: 'text', nullable: true })
  @Index()
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the enterprise party.' })
  partyUscc!: string | null;

  @Property({ type: 'text', nullable: true })
  @Index()
  partyIdNumber!: string | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  vehiclePlateNumber!: string | null;

  @Enum({ items: () => PlateColor, nullable: true })
  @Field(() => PlateColor, { nullable: true })
  vehiclePlateColor!: PlateColor | null;

  @Property({ type: 'timestamptz' })
  @Field()
  occurredAt!: Date;

  @Property({ type: 'text' })
  @Field()
  divisionCode!: string;

  @Enum({ items: () => CaseStatus })
  @Field(() => CaseStatus)
  status!: CaseStatus;

  @Property({ type: 'double', nullable: true })
  @Field(() => Float, { nullable: true, description: 'Penalty in yuan, once decided.' })
  penaltyAmountYuan!: number | null;

  @Property({ type: 'boolean' })
  @Field({ description: 'Handed to the police (两法衔接).' })
  transferredToPolice!: boolean;

  @Property({ type: 'text' })
  @Field()
  summary!: string;
}
