import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
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
  @Field()
  capturedAt!: Date;

  @Property({ type: 'text' })
  @Field()
  checkpointCode!: string;

  @Property({ type: 'text' })
  @Field()
  plateNumber!: string;

  @Enum({ items: () => PlateColor })
  @Field(() => PlateColor)
  plateColor!: PlateColor;

  @Enum({ items: () => TravelDirection })
  @Field(() => TravelDirection)
  direction!: TravelDirection;

  @Property({ type: 'smallint' })
  @Field(() => Int)
  lane!: number;

  @Property({ type: 'smallint' })
  @Field(() => Int, { description: 'Measured speed in km/h.' })
  speedKmh!: number;

  @Property({ type: 'text' })
  @Field({ description: 'Reference to the capture image in the police image store.' })
  imageRef!: string;

  @Property({ type: 'timestamptz' })
  syncedAt!: Date;
}
