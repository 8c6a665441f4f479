import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, Int, ObjectType } from 'type-graphql';
import { PlateColor, TravelDirection } from '../common/enums';

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

  @PrimaryKey({ type: 'timestamptz' })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field()
  capturedAt!: Date;

  @Property({ type: 'text' })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field()
  checkpointCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field()
  plateNumber!: string;

  @Enum({ items: () => PlateColor })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field(() => PlateColor)
  plateColor!: PlateColor;

  @Enum({ items: () => TravelDirection })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field(() => TravelDirection)
  direction!: TravelDirection;

  @Property({ type: 'smallint' })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field(() => Int)
  lane!: number;

  @Property({ type: 'smallint' })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field(() => Int, { description: 'Measured speed in km/h.' })
  speedKmh!: number;

  @Property({ type: 'text' })
  @Classified(Classification.POLICE_RESTRICTED)
  @Field({ description: 'Reference to the capture image in the police image store.' })
  imageRef!: string;

  @Property({ type: 'timestamptz' })
  syncedAt!: Date;
}
