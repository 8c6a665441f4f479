import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { PlateColor, TravelDirection } from '../common/enums';
import { Column, EnumColumn } from '../common/column';

/**
 * One passage of a plate past a checkpoint. High volume and append-only, so it carries no
 * provenance embeddable: every capture comes from the checkpoint exchange database, `sourceSerial`
 * is its id there, and its provenance is derived (see the resolver). The table is partitioned
 * by capture day (see the migration).
 */
@Entity({ tableName: 'checkpoint_capture' })
@ObjectType({ description: 'A checkpoint capture (过车记录): police-restricted.', simpleResolvers: true })
export class CheckpointCapture {
  /** The exchange database's serial; with the capture time it is the partitioned table's key. */
  @PrimaryKey({ type: 'bigint' })
  sourceSerial!: string;

  @Column('timestamptz', Classification.POLICE_RESTRICTED, { primary: true })
  capturedAt!: Date;

  @Column('text', Classification.POLICE_RESTRICTED)
  checkpointCode!: string;

  @Column('text', Classification.POLICE_RESTRICTED)
  plateNumber!: string;

  @EnumColumn(() => PlateColor, Classification.POLICE_RESTRICTED)
  plateColor!: PlateColor;

  @EnumColumn(() => TravelDirection, Classification.POLICE_RESTRICTED)
  direction!: TravelDirection;

  @Column('smallint', Classification.POLICE_RESTRICTED)
  lane!: number;

  @Column('smallint', Classification.POLICE_RESTRICTED, { description: 'Measured speed in km/h.' })
  speedKmh!: number;

  @Column('text', Classification.POLICE_RESTRICTED, { description: 'Reference to the capture image in the police image store.' })
  imageRef!: string;

  @Property({ type: 'timestamptz' })
  syncedAt!: Date;
}
