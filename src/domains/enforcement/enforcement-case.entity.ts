import { Entity, Index, Property } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { CaseStatus, PlateColor } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A transport enforcement case (执法案件). */
@Entity({ tableName: 'enforcement_case' })
@Index({ properties: ['vehiclePlateNumber', 'vehiclePlateColor'] })
@Index({ properties: ['occurredAt'] })
@ObjectType({ description: 'A transport enforcement case (执法案件).', simpleResolvers: true })
export class EnforcementCase extends SyncedEntity {
  @Column('text', Classification.INTERNAL, { primary: true })
  caseNumber!: string;

  @Column('text', Classification.INTERNAL)
  violationCode!: string;

  @Column('text', Classification.INTERNAL)
  violationType!: string;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'Unified social credit code of the enterprise party.' })
  @Index()
  partyUscc!: string | null;

  @Property({ type: 'text', nullable: true })
  @Index()
  partyIdNumber!: string | null;

  @Column('text', Classification.INTERNAL, { nullable: true })
  vehiclePlateNumber!: string | null;

  @EnumColumn(() => PlateColor, Classification.INTERNAL, { nullable: true })
  vehiclePlateColor!: PlateColor | null;

  @Column('timestamptz', Classification.INTERNAL)
  occurredAt!: Date;

  @Column('text', Classification.INTERNAL)
  divisionCode!: string;

  @EnumColumn(() => CaseStatus, Classification.INTERNAL)
  status!: CaseStatus;

  @Column('double', Classification.INTERNAL, { nullable: true, description: 'Penalty in yuan, once decided.' })
  penaltyAmountYuan!: number | null;

  @Column('timestamptz', Classification.INTERNAL, {
    nullable: true,
    description: 'When the penalty was decided (行政处罚决定), once it is; a closed case keeps it.',
  })
  @Index()
  decidedAt!: Date | null;

  @Column('boolean', Classification.INTERNAL, { description: 'Handed to the police (两法衔接), as the transport system records it.' })
  transferredToPolice!: boolean;

  @Column('timestamptz', Classification.INTERNAL, { nullable: true, description: 'When the transport system handed it to the police.' })
  transferredAt!: Date | null;

  @Column('text', Classification.INTERNAL, { nullable: true, description: 'The police unit that received it (接收单位), once transferred.' })
  receivingPoliceUnit!: string | null;

  @Column('text', Classification.INTERNAL)
  summary!: string;
}
