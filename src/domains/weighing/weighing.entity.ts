import { Entity, Index, PrimaryKey } from '@mikro-orm/core';
import { Classification } from '../../read-kit/fields/classification';
import { ObjectType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { SyncedEntity } from '../common/synced-entity';
import { Column, EnumColumn } from '../common/column';

/** One weigh-in-motion or static weighing (超限检测) of a vehicle. */
@Entity({ tableName: 'weighing' })
@Index({ properties: ['plateNumber', 'plateColor', 'measuredAt'] })
@Index({ properties: ['measuredAt'] })
@ObjectType({ description: 'A weighing (超限检测) at a weigh station or weigh-in-motion site.', simpleResolvers: true })
export class Weighing extends SyncedEntity {
  @PrimaryKey({ type: 'text' })
  sourceId!: string;

  @Column('text', Classification.INTERNAL)
  stationCode!: string;

  @Column('text', Classification.INTERNAL)
  stationName!: string;

  @Column('text', Classification.INTERNAL, { description: 'GB/T 2260 division the station stands in.' })
  stationDivisionCode!: string;

  @Column('text', Classification.INTERNAL)
  plateNumber!: string;

  @EnumColumn(() => PlateColor, Classification.INTERNAL)
  plateColor!: PlateColor;

  @Column('smallint', Classification.INTERNAL)
  axleCount!: number;

  @Column('integer', Classification.INTERNAL)
  measuredTotalMassKg!: number;

  @Column('integer', Classification.INTERNAL, { description: 'Legal total-mass limit for the axle configuration, kg.' })
  limitKg!: number;

  @Column('integer', Classification.INTERNAL)
  overloadKg!: number;

  @Column('double', Classification.INTERNAL, { description: 'overloadKg / limitKg; 0 when within the limit.' })
  overloadRatio!: number;

  @Column('timestamptz', Classification.INTERNAL)
  measuredAt!: Date;
}
