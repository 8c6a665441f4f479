import { Tests } from '../../read-kit/fields/argument-tests';
import { ArgsType, Field, Float, InputType } from 'type-graphql';
import { PlateColor } from '../common/enums';
import { PageArgs } from '../../read-kit/pagination';
import { weighingOrderings, type WeighingOrderName } from './weighing.orderings';

@InputType({ description: 'Conditions a weighing must all meet. Time windows are half-open: [from, to).' })
export class WeighingFilterInput {
  @Tests('Weighing.plateNumber')
  @Field(() => String, { nullable: true })
  plateNumber?: string | null;

  @Tests('Weighing.plateColor')
  @Field(() => PlateColor, { nullable: true })
  plateColor?: PlateColor | null;

  @Tests('Weighing.stationCode')
  @Field(() => String, { nullable: true })
  stationCode?: string | null;

  @Tests('Weighing.measuredAt')
  @Field(() => Date, { nullable: true })
  measuredFrom?: Date | null;

  @Tests('Weighing.measuredAt')
  @Field(() => Date, { nullable: true })
  measuredTo?: Date | null;

  @Tests('Weighing.overloadKg')
  @Field(() => Boolean, { nullable: true, description: 'Only weighings over the legal limit.' })
  overloadedOnly?: boolean | null;

  @Tests('Weighing.overloadRatio')
  @Field(() => Float, { nullable: true, description: 'Only weighings at least this far over the limit (0.1 = 10%).' })
  minOverloadRatio?: number | null;
}

@ArgsType()
export class WeighingsArgs extends PageArgs {
  @Field(() => WeighingFilterInput, { nullable: true })
  filter?: WeighingFilterInput | null;

  @Field(() => weighingOrderings.enum, { defaultValue: weighingOrderings.enum.MEASURED_AT_DESC })
  orderBy!: WeighingOrderName;
}
