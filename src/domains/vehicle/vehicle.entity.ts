import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Directive, Field, Int, ObjectType } from 'type-graphql';
import { PlateColor, TransportCertificateStatus } from '../common/enums';
import { LocalDate } from '../common/scalars';
import { SyncedEntity } from '../common/synced-entity';

/** A vehicle, identified by plate number and plate colour together (GA 36-2018). */
@Entity({ tableName: 'vehicle' })
@Directive('@key(fields: "plateNumber plateColor")')
@ObjectType({ description: 'A road vehicle; its identity is plate number + plate colour.', simpleResolvers: true })
export class Vehicle extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'Normalised plate number, e.g. 苏E12345 or 苏ED12345.' })
  plateNumber!: string;

  @Enum({ items: () => PlateColor, primary: true })
  @Classified(Classification.PUBLIC)
  @Field(() => PlateColor)
  plateColor!: PlateColor;

  @Property({ type: 'text' })
  @Index()
  @Classified(Classification.INTERNAL)
  @Field({ description: 'Vehicle identification number (GB 16735).' })
  vin!: string;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'GA 802 vehicle type code, e.g. H11, K33, Q11.' })
  vehicleType!: string;

  @Property({ type: 'text', nullable: true })
  @Index()
  @Classified(Classification.PUBLIC)
  @Field(() => String, { nullable: true, description: 'Unified social credit code of the owning enterprise.' })
  ownerUscc!: string | null;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PUBLIC)
  @Field(() => String, { nullable: true, description: 'Road transport certificate (道路运输证) number.' })
  transportCertificateNumber!: string | null;

  @Enum({ items: () => TransportCertificateStatus })
  @Classified(Classification.PUBLIC)
  @Field(() => TransportCertificateStatus)
  transportCertificateStatus!: TransportCertificateStatus;

  @Property({ type: 'date', nullable: true })
  @Classified(Classification.PUBLIC)
  @Field(() => LocalDate, { nullable: true })
  transportCertificateValidTo!: string | null;

  @Property({ type: 'smallint' })
  @Classified(Classification.PUBLIC)
  @Field(() => Int)
  axleCount!: number;

  @Property({ type: 'integer' })
  @Classified(Classification.PUBLIC)
  @Field(() => Int, { description: 'Rated total mass in kg.' })
  ratedTotalMassKg!: number;

  @Property({ type: 'text' })
  @Classified(Classification.PUBLIC)
  @Field({ description: 'GB/T 2260 division where the vehicle is registered (车管所, mostly city level).' })
  registrationDivision!: string;

  @Property({ type: 'text', nullable: true })
  @Classified(Classification.PUBLIC)
  @Field(() => String, { nullable: true, description: 'GB/T 2260 division whose transport bureau issued the road transport certificate; null without one.' })
  transportCertificateDivision!: string | null;
}
