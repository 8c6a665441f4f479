import { Entity, Index } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { Directive, ObjectType } from 'type-graphql';
import { PlateColor, TransportCertificateStatus } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** A vehicle, identified by plate number and plate colour together (GA 36-2018). */
@Entity({ tableName: 'vehicle' })
@Directive('@key(fields: "plateNumber plateColor")')
@ObjectType({ description: 'A road vehicle; its identity is plate number + plate colour.', simpleResolvers: true })
export class Vehicle extends SyncedEntity {
  @Column('text', Classification.PUBLIC, { primary: true, description: 'Normalised plate number, e.g. 苏E12345 or 苏ED12345.' })
  plateNumber!: string;

  @EnumColumn(() => PlateColor, Classification.PUBLIC, { primary: true })
  plateColor!: PlateColor;

  @Column('text', Classification.INTERNAL, { description: 'Vehicle identification number (GB 16735).' })
  @Index()
  vin!: string;

  @Column('text', Classification.PUBLIC, { description: 'GA 802 vehicle type code, e.g. H11, K33, Q11.' })
  vehicleType!: string;

  @Column('text', Classification.PUBLIC, { nullable: true, description: 'Unified social credit code of the owning enterprise.' })
  @Index()
  ownerUscc!: string | null;

  @Column('text', Classification.PUBLIC, { nullable: true, description: 'Road transport certificate (道路运输证) number.' })
  transportCertificateNumber!: string | null;

  @EnumColumn(() => TransportCertificateStatus, Classification.PUBLIC)
  transportCertificateStatus!: TransportCertificateStatus;

  @Column('date', Classification.PUBLIC, { nullable: true })
  transportCertificateValidTo!: string | null;

  @Column('smallint', Classification.PUBLIC)
  axleCount!: number;

  @Column('integer', Classification.PUBLIC, { description: 'Rated total mass in kg.' })
  ratedTotalMassKg!: number;

  @Column('text', Classification.PUBLIC, { description: 'GB/T 2260 division where the vehicle is registered (车管所, mostly city level).' })
  registrationDivision!: string;

  @Column('text', Classification.PUBLIC, {
    nullable: true,
    description: 'GB/T 2260 division whose transport bureau issued the road transport certificate; null without one.',
  })
  transportCertificateDivision!: string | null;
}
