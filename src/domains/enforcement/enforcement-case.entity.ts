import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
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
  @Classified(Classification.INTERNAL)
  @Field()
  caseNumber!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  violationCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  violationType!: string;

  @Property({ type: 'text', nullable: true })
  @Index()
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the enterprise party.' })
  partyUscc!: string | null;

  @Property({ type: 'text', nullable: true })
  @Index()
  partyIdNumber!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true })
  vehiclePlateNumber!: string | null;

  @Enum({ items: () => PlateColor, nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => PlateColor, { nullable: true })
  vehiclePlateColor!: PlateColor | null;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  occurredAt!: Date;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  divisionCode!: string;

  @Enum({ items: () => CaseStatus })
  @Classified(Classification.INTERNAL)
  @Field(() => CaseStatus)
  status!: CaseStatus;

  @Property({ type: 'double', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Float, { nullable: true, description: 'Penalty in yuan, once decided.' })
  penaltyAmountYuan!: number | null;

  @Property({ type: 'timestamptz', nullable: true })
  @Index()
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'When the penalty was decided (行政处罚决定), once it is; a closed case keeps it.' })
  decidedAt!: Date | null;

  @Property({ type: 'boolean' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Handed to the police (两法衔接), as the transport system records it.' })
  transferredToPolice!: boolean;

  @Property({ type: 'timestamptz', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => Date, { nullable: true, description: 'When the transport system handed it to the police.' })
  transferredAt!: Date | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.INTERNAL)
  @Field(() => String, { nullable: true, description: 'The police unit that received it (接收单位), once transferred.' })
  receivingPoliceUnit!: string | null;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  summary!: string;
}
