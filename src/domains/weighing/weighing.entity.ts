import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Classification, Classified } from '../../read-kit/fields/classification';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';

/** One weigh-in-motion or static weighing (超限检测) of a vehicle. */
@Entity({ tableName: 'weighing' })
@Index({ properties: ['plateNumber', 'plateColor', 'measuredAt'] })
@Index({ properties: ['measuredAt'] })
@ObjectType({ description: 'A weighing (超限检测) at a weigh station or weigh-in-motion site.', simpleResolvers: true })
export class Weighing extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  stationCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  stationName!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field({ description: 'GB/T 2260 division the station stands in.' })
  stationDivisionCode!: string;

  @Property({ type: 'text' })
  @Classified(Classification.INTERNAL)
  @Field()
  plateNumber!: string;

  @Enum({ items: () => PlateColor })
  @Classified(Classification.INTERNAL)
  @Field(() => PlateColor)
  plateColor!: PlateColor;

  @Property({ type: 'smallint' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  axleCount!: number;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  measuredTotalMassKg!: number;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int, { description: 'Legal total-mass limit for the axle configuration, kg.' })
  limitKg!: number;

  @Property({ type: 'integer' })
  @Classified(Classification.INTERNAL)
  @Field(() => Int)
  overloadKg!: number;

  @Property({ type: 'double' })
  @Classified(Classification.INTERNAL)
  @Field(() => Float, { description: 'overloadKg / limitKg; 0 when within the limit.' })
  overloadRatio!: number;

  @Property({ type: 'timestamptz' })
  @Classified(Classification.INTERNAL)
  @Field()
  measuredAt!: Date;
}
