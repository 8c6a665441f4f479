import { Int } from 'type-graphql';
import { Classification } from '../../read-kit/fields/classification';
import { arg, relation } from '../../read-kit/relations';
import { MAX_PAGE_SIZE, pageSize } from '../../read-kit/pagination';
import { Vehicle } from '../vehicle';
import { Weighing } from './weighing.entity';
import type { WeighingContext } from './weighing.resolver';

export const weighingRelations = [
  relation({
    on: () => Weighing,
    field: 'vehicle',
    returns: () => Vehicle,
    nullable: true,
    description: 'The weighed vehicle, when the hub knows it.',
    classification: Classification.INTERNAL,
    parentKey: ['plateNumber', 'plateColor'],
    load: (ctx: WeighingContext, key) => ctx.loaders.vehicle.byKey.load(key),
  }),
  relation({
    on: () => Vehicle,
    field: 'weighings',
    returns: () => [Weighing],
    description: "The vehicle's most recent weighings, newest first.",
    classification: Classification.INTERNAL,
    parentKey: ['plateNumber', 'plateColor'],
    args: { last: arg<number>(() => Int, { defaultValue: 20, description: `How many, at most ${MAX_PAGE_SIZE}.` }) },
    load: (ctx: WeighingContext, key, { last }) => ctx.loaders.weighing.recentByVehicle(pageSize(last, 'last')).load(key),
  }),
];
